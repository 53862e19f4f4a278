package io.github.milvuscdi.internal.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import io.milvus.grpc.MilvusServiceGrpc;
import io.milvus.shaded.io.grpc.CallOptions;
import io.milvus.shaded.io.grpc.Channel;
import io.milvus.shaded.io.grpc.ClientCall;
import io.milvus.shaded.io.grpc.ClientStreamTracer;
import io.milvus.shaded.io.grpc.Metadata;
import io.milvus.shaded.io.grpc.MethodDescriptor;
import io.milvus.shaded.io.grpc.Status;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Which failed calls the guard keeps from the SDK's retry loop (by ending them with DEADLINE_EXCEEDED, which it
 * does not retry): an insert or delete whose request went to a transport and then failed without a definite
 * answer. Everything else keeps its status, so the SDK retries it as before. The attempts are played on a
 * channel of this test, in gRPC's order; {@code UnknownOutcomeWriteTest} plays the whole case on a real server.
 */
class UnsafeWriteGuardTest {

    private final UnsafeWriteGuard guard =
            new UnsafeWriteGuard("search", "db:19530", "milvus.connections.search.retry.unsafe-writes");

    /** An attempt: whether it is one gRPC retried transparently, and whether its request was handed over. */
    private record Attempt(boolean transparentRetry, boolean sent) {}

    private Status closed(MethodDescriptor<?, ?> method, Status status, Attempt... attempts) {
        AtomicReference<Status> seen = new AtomicReference<>();
        Channel channel = new Channel() {
            @Override
            public <Q, R> ClientCall<Q, R> newCall(MethodDescriptor<Q, R> called, CallOptions options) {
                return new ClientCall<>() {
                    @Override
                    public void start(Listener<R> listener, Metadata headers) {
                        List<ClientStreamTracer.Factory> factories = options.getStreamTracerFactories();
                        for (Attempt attempt : attempts) {
                            ClientStreamTracer.StreamInfo info = ClientStreamTracer.StreamInfo.newBuilder()
                                    .setCallOptions(options)
                                    .setIsTransparentRetry(attempt.transparentRetry())
                                    .build();
                            for (ClientStreamTracer.Factory factory : factories) {
                                ClientStreamTracer tracer = factory.newClientStreamTracer(info, new Metadata());
                                if (attempt.sent()) {
                                    tracer.outboundMessage(0);
                                    tracer.outboundMessageSent(0, -1, -1);
                                }
                            }
                        }
                        listener.onClose(status, new Metadata());
                    }

                    @Override
                    public void request(int numMessages) {}

                    @Override
                    public void cancel(String message, Throwable cause) {}

                    @Override
                    public void halfClose() {}

                    @Override
                    public void sendMessage(Q message) {}
                };
            }

            @Override
            public String authority() {
                return "db:19530";
            }
        };
        ClientCall<?, ?> call = guard.interceptCall(method, CallOptions.DEFAULT, channel);
        start(call, seen);
        return seen.get();
    }

    private static <R> void start(ClientCall<?, R> call, AtomicReference<Status> seen) {
        call.start(
                new ClientCall.Listener<R>() {
                    @Override
                    public void onClose(Status status, Metadata trailers) {
                        seen.set(status);
                    }
                },
                new Metadata());
    }

    @Test
    void anInsertSentAndThenCutOffEndsSayingItsOutcomeIsUnknown() {
        Status status = closed(
                MilvusServiceGrpc.getInsertMethod(),
                Status.UNAVAILABLE.withDescription("Connection closed"),
                new Attempt(false, true));
        assertThat(status.getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
        assertThat(status.getDescription())
                .isEqualTo("Milvus alias 'search': the outcome of this insert is unknown: it was sent to db:19530 "
                        + "and then failed (UNAVAILABLE: Connection closed), so the server may or may not have applied "
                        + "it. It was not repeated, because repeating an insert can apply it twice (Milvus does not "
                        + "refuse duplicate primary keys): check what was written before sending it again, or set "
                        + "milvus.connections.search.retry.unsafe-writes=true to repeat such calls");
    }

    @Test
    void aDeleteSentAndThenCancelledOrPastItsDeadlineIsNotRepeatedEither() {
        assertThat(closed(MilvusServiceGrpc.getDeleteMethod(), Status.CANCELLED, new Attempt(false, true))
                        .getDescription())
                .startsWith("Milvus alias 'search': the outcome of this delete is unknown");
        assertThat(closed(MilvusServiceGrpc.getInsertMethod(), Status.DEADLINE_EXCEEDED, new Attempt(false, true))
                        .getDescription())
                .startsWith("Milvus alias 'search': the outcome of this insert is unknown");
    }

    @Test
    void anInsertWhoseRequestNeverLeftIsLeftToTheRetryLoop() {
        assertThat(closed(MilvusServiceGrpc.getInsertMethod(), Status.UNAVAILABLE, new Attempt(false, false)))
                .isEqualTo(Status.UNAVAILABLE);
        // gRPC retries transparently only an attempt the server provably did not process
        assertThat(closed(
                        MilvusServiceGrpc.getInsertMethod(),
                        Status.UNAVAILABLE,
                        new Attempt(false, true),
                        new Attempt(true, false)))
                .isEqualTo(Status.UNAVAILABLE);
    }

    @Test
    void aDefiniteRefusalAndEveryOtherMethodKeepTheirStatus() {
        assertThat(closed(MilvusServiceGrpc.getInsertMethod(), Status.INVALID_ARGUMENT, new Attempt(false, true)))
                .isEqualTo(Status.INVALID_ARGUMENT);
        assertThat(closed(MilvusServiceGrpc.getInsertMethod(), Status.OK, new Attempt(false, true)))
                .isEqualTo(Status.OK);
        for (MethodDescriptor<?, ?> safe : List.of(
                MilvusServiceGrpc.getSearchMethod(),
                MilvusServiceGrpc.getUpsertMethod(),
                MilvusServiceGrpc.getFlushMethod(),
                MilvusServiceGrpc.getLoadCollectionMethod())) {
            assertThat(closed(safe, Status.UNAVAILABLE, new Attempt(false, true)))
                    .as(safe.getFullMethodName())
                    .isEqualTo(Status.UNAVAILABLE);
        }
    }
}
