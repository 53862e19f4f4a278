package io.github.milvuscdi.internal.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.milvuscdi.testing.Await;
import io.milvus.shaded.io.grpc.Attributes;
import io.milvus.shaded.io.grpc.CallOptions;
import io.milvus.shaded.io.grpc.Channel;
import io.milvus.shaded.io.grpc.ClientCall;
import io.milvus.shaded.io.grpc.ClientStreamTracer;
import io.milvus.shaded.io.grpc.Metadata;
import io.milvus.shaded.io.grpc.MethodDescriptor;
import io.milvus.shaded.io.grpc.Status;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The bound on waiting for a usable connection holds for every attempt gRPC makes of a call. When a
 * server stops just as a call is sent, the call's stream is created on a transport that is failing;
 * gRPC then retries it transparently, and that attempt waits for a ready transport again (the SDK's
 * calls wait for ready). Seen in a full build: such a call waited without end in
 * {@code MilvusSdkTest}, because the first attempt had disarmed the bound. The attempts are played
 * here by a channel of the test's own, in the order gRPC's retrying stream makes them, so that the race
 * is not left to chance.
 */
class ReadyWaitBoundRetryTest {

    private static final long BOUND_MILLIS = 200;
    private static final MethodDescriptor<String, String> SHOW_COLLECTIONS =
            MethodDescriptor.<String, String>newBuilder()
                    .setType(MethodDescriptor.MethodType.UNARY)
                    .setFullMethodName("milvus.proto.milvus.MilvusService/ShowCollections")
                    .setRequestMarshaller(new Text())
                    .setResponseMarshaller(new Text())
                    .build();

    private final ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1);

    {
        timer.setRemoveOnCancelPolicy(true);
    }

    @AfterEach
    void stopTimer() {
        timer.shutdownNow();
    }

    @Test
    void aTransparentRetryAfterAFailedTransportIsBoundedAgain() {
        Attempts channel = new Attempts(true);
        AtomicReference<Status> closed = startCall(channel);

        assertThat(timer.getQueue()).as("the retry's bound is armed").hasSize(1);
        Status status = Await.until(closed::get, s -> s != null, Duration.ofSeconds(30));
        assertThat(status.getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
        assertThat(status.getDescription()).isEqualTo("no usable connection (test)");
        assertThat(channel.cancelled.get()).isEqualTo("no usable connection (test)");
    }

    @Test
    void aCallWhoseAttemptReachedATransportIsNotBounded() {
        Attempts channel = new Attempts(false);
        AtomicReference<Status> closed = startCall(channel);

        assertThat(timer.getQueue())
                .as("no bound left for a call on a ready transport")
                .isEmpty();
        assertThat(closed.get()).isNull();
        assertThat(channel.cancelled.get()).isNull();
    }

    private AtomicReference<Status> startCall(Attempts channel) {
        ReadyWaitBound bound = new ReadyWaitBound(
                TimeUnit.MILLISECONDS.toNanos(BOUND_MILLIS),
                "no usable connection (test)",
                timer,
                new ReadyWaitBound.Availability() {
                    @Override
                    public void unavailable() {}

                    @Override
                    public void available() {}
                });
        AtomicReference<Status> closed = new AtomicReference<>();
        ClientCall<String, String> call =
                bound.interceptCall(SHOW_COLLECTIONS, CallOptions.DEFAULT.withWaitForReady(), channel);
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

    /**
     * A channel whose calls make their attempts as gRPC does: the first one's stream is created on a
     * transport; with {@code transportFails}, that transport fails before the server took the call and
     * a transparent retry waits, with no ready transport, until cancelled.
     */
    private static final class Attempts extends Channel {
        private final boolean transportFails;
        final AtomicReference<String> cancelled = new AtomicReference<>();

        Attempts(boolean transportFails) {
            this.transportFails = transportFails;
        }

        @Override
        public <Q, R> ClientCall<Q, R> newCall(MethodDescriptor<Q, R> method, CallOptions options) {
            return new ClientCall<>() {
                private Listener<R> listener;

                @Override
                public void start(Listener<R> responses, Metadata headers) {
                    listener = responses;
                    ClientStreamTracer.Factory tracers =
                            options.getStreamTracerFactories().get(0);
                    tracers.newClientStreamTracer(
                                    ClientStreamTracer.StreamInfo.newBuilder()
                                            .setCallOptions(options)
                                            .build(),
                                    headers)
                            .streamCreated(Attributes.EMPTY, headers);
                    if (transportFails) {
                        tracers.newClientStreamTracer(
                                ClientStreamTracer.StreamInfo.newBuilder()
                                        .setCallOptions(options)
                                        .setIsTransparentRetry(true)
                                        .build(),
                                headers);
                    }
                }

                @Override
                public void request(int messages) {}

                @Override
                public void cancel(String message, Throwable cause) {
                    cancelled.set(message);
                    listener.onClose(Status.CANCELLED.withDescription(message), new Metadata());
                }

                @Override
                public void halfClose() {}

                @Override
                public void sendMessage(Q message) {}
            };
        }

        @Override
        public String authority() {
            return "localhost";
        }
    }

    /** Requests and responses as text: the test sends none. */
    private static final class Text implements MethodDescriptor.Marshaller<String> {
        @Override
        public InputStream stream(String value) {
            return new ByteArrayInputStream(value.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }

        @Override
        public String parse(InputStream stream) {
            return "";
        }
    }
}
