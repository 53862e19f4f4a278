package io.github.milvuscdi.benchmarks;

import io.milvus.shaded.io.grpc.CallOptions;
import io.milvus.shaded.io.grpc.Channel;
import io.milvus.shaded.io.grpc.ClientCall;
import io.milvus.shaded.io.grpc.ClientInterceptor;
import io.milvus.shaded.io.grpc.ForwardingClientCall.SimpleForwardingClientCall;
import io.milvus.shaded.io.grpc.ForwardingClientCallListener.SimpleForwardingClientCallListener;
import io.milvus.shaded.io.grpc.Metadata;
import io.milvus.shaded.io.grpc.MethodDescriptor;
import io.milvus.shaded.io.grpc.Status;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.context.propagation.TextMapSetter;

/**
 * The least any tracing of a Milvus call does, as a gRPC interceptor: one CLIENT span with the same
 * attributes as ours, made of attributes built once, its context injected into the call's metadata, ended
 * when the call closes, and one histogram point. It reads nothing from the request and looks nothing up.
 * Beside an untraced call in a real RPC, it measures what the OpenTelemetry SDK and the propagation cost
 * there (issue 26: the part that is not ours); beside our traced call, what is ours.
 */
final class OpenTelemetryFloor implements ClientInterceptor {

    private static final Metadata.Key<String> TRACEPARENT =
            Metadata.Key.of("traceparent", Metadata.ASCII_STRING_MARSHALLER);
    private static final TextMapSetter<Metadata> METADATA = (headers, key, value) -> {
        if (headers != null) {
            headers.put(
                    key.equals("traceparent") ? TRACEPARENT : Metadata.Key.of(key, Metadata.ASCII_STRING_MARSHALLER),
                    value);
        }
    };

    private final Tracer tracer;
    private final DoubleHistogram duration;
    private final TextMapPropagator propagator;
    private final String spanName;
    private final Attributes spanAttributes;
    private final Attributes point;

    /**
     * @param openTelemetry the application's
     * @param spanName the span's name, as ours names it
     * @param spanAttributes the span's attributes, as ours sets them
     * @param point the histogram point's attributes, as ours records them
     */
    OpenTelemetryFloor(OpenTelemetry openTelemetry, String spanName, Attributes spanAttributes, Attributes point) {
        this.tracer = openTelemetry.getTracer("floor");
        this.duration = openTelemetry
                .getMeter("floor")
                .histogramBuilder("db.client.operation.duration")
                .setUnit("s")
                .build();
        this.propagator = openTelemetry.getPropagators().getTextMapPropagator();
        this.spanName = spanName;
        this.spanAttributes = spanAttributes;
        this.point = point;
    }

    @Override
    public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
        return new SimpleForwardingClientCall<>(next.newCall(method, options)) {
            @Override
            public void start(Listener<R> listener, Metadata headers) {
                long started = System.nanoTime();
                Context parent = Context.current();
                Span span = tracer.spanBuilder(spanName)
                        .setParent(parent)
                        .setSpanKind(SpanKind.CLIENT)
                        .setAllAttributes(spanAttributes)
                        .startSpan();
                Context traced = parent.with(span);
                propagator.inject(traced, headers, METADATA);
                super.start(
                        new SimpleForwardingClientCallListener<>(listener) {
                            @Override
                            public void onClose(Status status, Metadata trailers) {
                                span.end();
                                duration.record((System.nanoTime() - started) / 1e9, point, traced);
                                super.onClose(status, trailers);
                            }
                        },
                        headers);
            }
        };
    }
}
