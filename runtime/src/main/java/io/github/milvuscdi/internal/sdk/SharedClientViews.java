package io.github.milvuscdi.internal.sdk;

import static io.github.milvuscdi.internal.sdk.SdkHandles.BLOCKING_STUB;
import static io.github.milvuscdi.internal.sdk.SdkHandles.CHANNEL;
import static io.github.milvuscdi.internal.sdk.SdkHandles.CONNECT_CONFIG;
import static io.github.milvuscdi.internal.sdk.SdkHandles.INIT_SERVICES;
import static io.github.milvuscdi.internal.sdk.SdkHandles.RPC_UTILS;

import io.milvus.grpc.MilvusServiceGrpc.MilvusServiceBlockingStub;
import io.milvus.v2.client.ConnectConfig;
import io.milvus.v2.client.RetryConfig;
import io.milvus.v2.utils.RpcUtils;

/**
 * Builds the views of a shared client ({@link SharedClient#withTimeout}, {@link SharedClient#withRetry}):
 * a client over the same channel and stub, with its own deadline and retry policy, that cannot be
 * closed. The SDK's client takes its channel, stub, configuration and retry policy from private fields,
 * with no way to build one around a channel that exists: they are set here.
 *
 * <p>Stateless and thread-safe.
 */
final class SharedClientViews {

    private SharedClientViews() {}

    /**
     * A view of a shared client or of another view.
     *
     * @param source the shared client or a view of it
     * @param alias the alias, named in the view's refusals
     * @param deadlineNanos the deadline of each call, 0 for none; {@code -1}: the alias's {@code rpc-deadline}
     * @param retry the retry policy; {@code null}: the alias's
     * @return the view
     * @throws IllegalStateException when the client is not connected, or the SDK lacks what this needs
     */
    static SharedClient view(SharedClient source, String alias, long deadlineNanos, RetryConfig retry) {
        MilvusSdk.requireSupported();
        SharedClient.View sourceView = source.view();
        SharedClient shared = sourceView != null ? sourceView.shared() : source;
        if (BLOCKING_STUB.getVolatile(shared) == null) {
            throw new IllegalStateException("Milvus alias '" + alias + "': the client is not connected");
        }
        SharedClient view = new SharedClient(alias, new SharedClient.View(shared, deadlineNanos, retry));
        view.observeFlushes(source.flushWaits());
        ConnectConfig config = (ConnectConfig) CONNECT_CONFIG.getVolatile(source);
        CONNECT_CONFIG.setVolatile(view, config);
        if (retry != null) {
            RpcUtils own = new RpcUtils();
            own.retryConfig(retry);
            RPC_UTILS.setVolatile(view, own);
        } else {
            RPC_UTILS.setVolatile(view, RPC_UTILS.getVolatile(source));
        }
        follow(view);
        shared.madeView(view);
        try {
            INIT_SERVICES.invoke(view, config == null ? null : config.getDbName());
        } catch (RuntimeException | Error failed) {
            throw failed;
        } catch (Throwable unexpected) {
            throw new IllegalStateException(unexpected);
        }
        return view;
    }

    /**
     * Points a view at its shared client's connection as it is now: when a view is made, and again when the
     * shared client's connection is replaced (a certificate rotation), so that a view made before keeps working
     * once the former connection is closed. The SDK's calls take the channel and the stub from the client's fields
     * on each call.
     *
     * @param view a view
     */
    static void follow(SharedClient view) {
        SharedClient.View kept = view.view();
        SharedClient shared = kept.shared();
        MilvusServiceBlockingStub sharedStub;
        synchronized (shared) { // the lock under which MilvusSdk.adoptConnection swaps the channel and the stub
            CHANNEL.setVolatile(view, CHANNEL.getVolatile(shared));
            sharedStub = (MilvusServiceBlockingStub) BLOCKING_STUB.getVolatile(shared);
        }
        long deadlineNanos = kept.deadlineNanos();
        BLOCKING_STUB.setVolatile(
                view, deadlineNanos < 0 ? sharedStub : sharedStub.withInterceptors(new CallDeadline(deadlineNanos)));
    }
}
