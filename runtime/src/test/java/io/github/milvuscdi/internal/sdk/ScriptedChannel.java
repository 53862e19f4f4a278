package io.github.milvuscdi.internal.sdk;

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
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A channel whose calls make their attempts as gRPC does, in the order a script says, so that the
 * tests of {@link ReadyWaitBound} leave no race to chance. One call at a time.
 */
final class ScriptedChannel extends Channel {

    /** What a call's {@code start()} does. */
    enum Script {
        /** The stream is created on a ready transport, on the calling thread, inside start(): gRPC on a ready channel. */
        STREAM_AT_ONCE,
        /** No ready transport: the call is pending when start() returns; {@link #createStream()} ends the wait. */
        PENDING,
        /**
         * The first attempt's stream is created on a transport that fails before the server took the call;
         * a transparent retry then waits, with no ready transport, until cancelled.
         */
        TRANSPORT_FAILS_THEN_WAITS
    }

    static final MethodDescriptor<String, String> SHOW_COLLECTIONS = MethodDescriptor.<String, String>newBuilder()
            .setType(MethodDescriptor.MethodType.UNARY)
            .setFullMethodName("milvus.proto.milvus.MilvusService/ShowCollections")
            .setRequestMarshaller(new Text())
            .setResponseMarshaller(new Text())
            .build();

    private final Script script;
    /** The description the call was cancelled with, if it was. */
    final AtomicReference<String> cancelled = new AtomicReference<>();

    private volatile ClientStreamTracer.Factory tracers;
    private volatile Metadata headers;

    ScriptedChannel(Script script) {
        this.script = script;
    }

    /** A pending call gets its stream, as when the channel becomes ready: on the caller's thread. */
    void createStream() {
        tracers.newClientStreamTracer(ClientStreamTracer.StreamInfo.newBuilder().build(), headers)
                .streamCreated(Attributes.EMPTY, headers);
    }

    @Override
    public <Q, R> ClientCall<Q, R> newCall(MethodDescriptor<Q, R> method, CallOptions options) {
        return new ClientCall<>() {
            private Listener<R> listener;

            @Override
            public void start(Listener<R> responses, Metadata callHeaders) {
                listener = responses;
                tracers = options.getStreamTracerFactories().get(0);
                headers = callHeaders;
                if (script == Script.PENDING) {
                    return;
                }
                tracers.newClientStreamTracer(
                                ClientStreamTracer.StreamInfo.newBuilder()
                                        .setCallOptions(options)
                                        .build(),
                                callHeaders)
                        .streamCreated(Attributes.EMPTY, callHeaders);
                if (script == Script.TRANSPORT_FAILS_THEN_WAITS) {
                    tracers.newClientStreamTracer(
                            ClientStreamTracer.StreamInfo.newBuilder()
                                    .setCallOptions(options)
                                    .setIsTransparentRetry(true)
                                    .build(),
                            callHeaders);
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

    /** Requests and responses as text: the tests send none. */
    private static final class Text implements MethodDescriptor.Marshaller<String> {
        @Override
        public InputStream stream(String value) {
            return new ByteArrayInputStream(value.getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public String parse(InputStream stream) {
            return "";
        }
    }
}
