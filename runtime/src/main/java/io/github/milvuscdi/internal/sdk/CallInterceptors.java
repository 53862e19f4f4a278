package io.github.milvuscdi.internal.sdk;

import static io.github.milvuscdi.internal.sdk.SdkHandles.BLOCKING_STUB;
import static io.github.milvuscdi.internal.sdk.SdkHandles.CHANNEL;

import io.milvus.grpc.MilvusServiceGrpc.MilvusServiceBlockingStub;
import io.milvus.shaded.io.grpc.ClientInterceptor;
import io.milvus.shaded.io.grpc.ManagedChannel;
import io.milvus.v2.client.MilvusClientV2;

/**
 * Puts this library's interceptors on a client's blocking stub, the one every call of the client takes
 * ({@code getRpcStub()}): the SDK has no interceptor hook. What each interceptor does and why is said in
 * {@link ReadyWaitBound} and {@link UnsafeWriteGuard}; the public entry points, with their contracts,
 * are {@link MilvusSdk}'s.
 *
 * <p>Callers check {@link MilvusSdk#requireSupported()} first. Stateless and thread-safe.
 */
final class CallInterceptors {

    private CallInterceptors() {}

    /**
     * What the ready-wait bound tells ({@link MilvusSdk#boundReadyWait}): the caller's callbacks, and on a
     * call that waited the whole bound, a reconnect attempt at once.
     */
    static ReadyWaitBound.WaitListener resettingBackoff(
            MilvusClientV2 client, Runnable unavailable, Runnable available) {
        return new ReadyWaitBound.WaitListener() {
            @Override
            public void unavailable() {
                // gRPC backs off between reconnect attempts up to two minutes: after an outage
                // of a few seconds a restarted server could wait that long for its clients.
                // A call that waited the whole bound asks for an attempt now instead, at most
                // once per call and a no-op unless the channel is in TRANSIENT_FAILURE.
                ManagedChannel channel = (ManagedChannel) CHANNEL.getVolatile(client);
                if (channel != null) {
                    channel.resetConnectBackoff();
                }
                unavailable.run();
            }

            @Override
            public void available() {
                available.run();
            }
        };
    }

    /** Puts an interceptor on the client's stub now and after every reconnect, past the refusal of a shared client. */
    static void installAfterEveryConnect(MilvusClientV2 client, ClientInterceptor interceptor) {
        MilvusSdk.afterEveryConnect(client, () -> {
            MilvusServiceBlockingStub stub = (MilvusServiceBlockingStub) BLOCKING_STUB.getVolatile(client);
            if (stub != null) {
                BLOCKING_STUB.setVolatile(
                        client, stub.withInterceptors(interceptor)); // setBlockingStub: refused once shared
            }
        });
    }

    /** See {@link MilvusSdk#guardUnsafeWrites}. */
    static void guardUnsafeWrites(MilvusClientV2 client, String alias, String address, String key) {
        installAfterEveryConnect(client, new UnsafeWriteGuard(alias, address, key));
    }

    /** See {@link MilvusSdk#interceptCalls}. */
    static void interceptCalls(MilvusClientV2 client, ClientInterceptor interceptor) {
        MilvusServiceBlockingStub stub = (MilvusServiceBlockingStub) BLOCKING_STUB.getVolatile(client);
        if (stub == null) {
            throw new IllegalStateException("the client is not connected");
        }
        BLOCKING_STUB.setVolatile(client, stub.withInterceptors(interceptor));
    }
}
