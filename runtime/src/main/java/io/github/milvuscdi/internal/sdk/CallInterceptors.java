package io.github.milvuscdi.internal.sdk;

import static io.github.milvuscdi.internal.sdk.SdkHandles.BLOCKING_STUB;
import static io.github.milvuscdi.internal.sdk.SdkHandles.CHANNEL;

import io.milvus.grpc.MilvusServiceGrpc.MilvusServiceBlockingStub;
import io.milvus.shaded.io.grpc.ClientInterceptor;
import io.milvus.shaded.io.grpc.ManagedChannel;
import io.milvus.v2.client.MilvusClientV2;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

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

    /** See {@link MilvusSdk#boundReadyWait}. */
    static void boundReadyWait(
            MilvusClientV2 client,
            long boundMillis,
            String failure,
            ScheduledExecutorService timer,
            Runnable unavailable,
            Runnable available) {
        ReadyWaitBound bound = new ReadyWaitBound(
                TimeUnit.MILLISECONDS.toNanos(boundMillis), failure, timer, new ReadyWaitBound.WaitListener() {
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
                });
        MilvusSdk.afterEveryConnect(client, () -> {
            MilvusServiceBlockingStub stub = (MilvusServiceBlockingStub) BLOCKING_STUB.getVolatile(client);
            if (stub != null) {
                BLOCKING_STUB.setVolatile(client, stub.withInterceptors(bound)); // setBlockingStub: refused once shared
            }
        });
    }

    /** See {@link MilvusSdk#guardUnsafeWrites}. */
    static void guardUnsafeWrites(MilvusClientV2 client, String alias, String address, String key) {
        UnsafeWriteGuard guard = new UnsafeWriteGuard(alias, address, key);
        MilvusSdk.afterEveryConnect(client, () -> {
            MilvusServiceBlockingStub stub = (MilvusServiceBlockingStub) BLOCKING_STUB.getVolatile(client);
            if (stub != null) {
                client.setBlockingStub(stub.withInterceptors(guard));
            }
        });
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
