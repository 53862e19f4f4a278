package io.github.milvuscdi.internal.sdk;

import io.milvus.shaded.io.grpc.CallOptions;
import io.milvus.shaded.io.grpc.Channel;
import io.milvus.shaded.io.grpc.ClientCall;
import io.milvus.shaded.io.grpc.Metadata;
import io.milvus.shaded.io.grpc.Status;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/** Starts a call through a {@link ReadyWaitBound}, as the SDK's stubs do: waiting for ready. */
final class BoundedCalls {

    static final String FAILURE = "no usable connection (test)";

    private BoundedCalls() {}

    /**
     * @param timer the bound's timer
     * @param boundMillis the bound
     * @param channel where the call goes
     * @return the status the call closed with, once it has
     */
    static AtomicReference<Status> start(ScheduledExecutorService timer, long boundMillis, Channel channel) {
        ReadyWaitBound bound = new ReadyWaitBound(
                TimeUnit.MILLISECONDS.toNanos(boundMillis), FAILURE, timer, new ReadyWaitBound.WaitListener() {
                    @Override
                    public void unavailable() {}

                    @Override
                    public void available() {}
                });
        AtomicReference<Status> closed = new AtomicReference<>();
        ClientCall<String, String> call =
                bound.interceptCall(ScriptedChannel.SHOW_COLLECTIONS, CallOptions.DEFAULT.withWaitForReady(), channel);
        call.start(
                new ClientCall.Listener<>() {
                    @Override
                    public void onClose(Status status, Metadata trailers) {
                        closed.set(status);
                    }
                },
                new Metadata());
        return closed;
    }
}
