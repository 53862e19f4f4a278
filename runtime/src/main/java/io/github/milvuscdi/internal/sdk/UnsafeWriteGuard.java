package io.github.milvuscdi.internal.sdk;

import io.milvus.grpc.MilvusServiceGrpc;
import io.milvus.shaded.io.grpc.CallOptions;
import io.milvus.shaded.io.grpc.Channel;
import io.milvus.shaded.io.grpc.ClientCall;
import io.milvus.shaded.io.grpc.ClientInterceptor;
import io.milvus.shaded.io.grpc.ClientStreamTracer;
import io.milvus.shaded.io.grpc.ForwardingClientCall;
import io.milvus.shaded.io.grpc.ForwardingClientCallListener;
import io.milvus.shaded.io.grpc.Metadata;
import io.milvus.shaded.io.grpc.MethodDescriptor;
import io.milvus.shaded.io.grpc.Status;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * Keeps the SDK's retry loop from repeating an insert or a delete whose outcome is unknown.
 *
 * <p>Why: the SDK ({@code RpcUtils.retry}) repeats a call that failed with {@code UNAVAILABLE},
 * {@code CANCELLED}, {@code INTERNAL} and the like. For an insert whose request had already gone to the server
 * when the connection failed, the server may have applied it: repeating it writes the rows twice, since Milvus
 * does not refuse a duplicate primary key (and gives new ones with auto-id). So such a call ends with
 * {@code DEADLINE_EXCEEDED}, which that loop does not retry (gRPC's own code for "the operation may have
 * completed"), and a description that says what happened and what to do. A call whose request never left
 * this client (no message handed to a transport, or an attempt gRPC itself found unprocessed and retried) is
 * left alone: retrying it is safe. Reads and idempotent writes (upsert, flush, load…) are never touched.
 *
 * <p>Thread-safe.
 */
final class UnsafeWriteGuard implements ClientInterceptor {

    /** The calls that write again when repeated, by gRPC method name, and what users call them. */
    private static final Map<String, String> UNSAFE = Map.of(
            MilvusServiceGrpc.getInsertMethod().getFullMethodName(), "insert",
            MilvusServiceGrpc.getDeleteMethod().getFullMethodName(), "delete");

    /** What the server or the client decided for sure: the call was refused, not half done. */
    private static final Set<Status.Code> DEFINITE = EnumSet.of(
            Status.Code.OK,
            Status.Code.INVALID_ARGUMENT,
            Status.Code.NOT_FOUND,
            Status.Code.ALREADY_EXISTS,
            Status.Code.PERMISSION_DENIED,
            Status.Code.RESOURCE_EXHAUSTED,
            Status.Code.FAILED_PRECONDITION,
            Status.Code.OUT_OF_RANGE,
            Status.Code.UNIMPLEMENTED,
            Status.Code.UNAUTHENTICATED);

    private final String alias;
    private final String address;
    private final String key;

    /**
     * @param alias the alias, named in the failure
     * @param address the server's address, named in the failure
     * @param key the full key that turns repeating such calls back on
     */
    UnsafeWriteGuard(String alias, String address, String key) {
        this.alias = alias;
        this.address = address;
        this.key = key;
    }

    /** @return whether a gRPC method is one this guard keeps from being repeated */
    static boolean guards(String fullMethodName) {
        return UNSAFE.containsKey(fullMethodName);
    }

    @Override
    public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
        String operation = UNSAFE.get(method.getFullMethodName());
        if (operation == null) {
            return next.newCall(method, options);
        }
        Guarded<Q, R> guarded = new Guarded<>(operation);
        guarded.call = next.newCall(method, options.withStreamTracerFactory(guarded.tracers));
        return guarded;
    }

    private final class Guarded<Q, R> extends ForwardingClientCall<Q, R> {
        private final String operation;
        private ClientCall<Q, R> call;
        /** Whether the request of the current attempt was handed to a transport: the server may have it. */
        private volatile boolean sent;

        final ClientStreamTracer.Factory tracers = new ClientStreamTracer.Factory() {
            @Override
            public ClientStreamTracer newClientStreamTracer(ClientStreamTracer.StreamInfo info, Metadata headers) {
                if (info.isTransparentRetry()) {
                    sent = false; // gRPC retries transparently only what the server provably did not process
                }
                return new ClientStreamTracer() {
                    @Override
                    public void outboundMessageSent(int seqNo, long wireSize, long uncompressedSize) {
                        sent = true;
                    }
                };
            }
        };

        Guarded(String operation) {
            this.operation = operation;
        }

        @Override
        protected ClientCall<Q, R> delegate() {
            return call;
        }

        @Override
        public void start(Listener<R> listener, Metadata headers) {
            super.start(
                    new ForwardingClientCallListener.SimpleForwardingClientCallListener<R>(listener) {
                        @Override
                        public void onClose(Status status, Metadata trailers) {
                            if (!sent || DEFINITE.contains(status.getCode())) {
                                super.onClose(status, trailers);
                                return;
                            }
                            super.onClose(
                                    Status.DEADLINE_EXCEEDED
                                            .withDescription(unknownOutcome(status))
                                            .withCause(status.getCause()),
                                    trailers);
                        }
                    },
                    headers);
        }

        private String unknownOutcome(Status status) {
            return "Milvus alias '" + alias + "': the outcome of this " + operation + " is unknown: it was sent to "
                    + address + " and then failed (" + status.getCode()
                    + (status.getDescription() == null ? "" : ": " + status.getDescription())
                    + "), so the server may or may not have applied it. It was not repeated, because repeating an "
                    + operation + " can apply it twice (Milvus does not refuse duplicate primary keys): check what "
                    + "was written before sending it again, or set " + key + "=true to repeat such calls";
        }
    }
}
