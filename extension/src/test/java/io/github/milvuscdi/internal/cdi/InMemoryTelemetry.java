package io.github.milvuscdi.internal.cdi;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.stream.Collectors;

/**
 * An OpenTelemetry SDK that keeps what it records in memory, and the bean that gives it to a
 * container, as MicroProfile Telemetry or quarkus-opentelemetry would. Spans are exported as they
 * end; metrics are read on demand. Used only by the {@code *TelemetryTest} classes, the only ones
 * run with OpenTelemetry on the class path.
 */
final class InMemoryTelemetry implements AutoCloseable {

    static final AttributeKey<String> ALIAS = AttributeKey.stringKey("milvus.alias");
    static final AttributeKey<String> OPERATION = AttributeKey.stringKey("db.operation.name");
    static final AttributeKey<String> COLLECTION = AttributeKey.stringKey("db.collection.name");
    static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");

    /** What the producer hands out; set by each test before its container boots. */
    private static volatile InMemoryTelemetry current;

    final InMemorySpanExporter spans = InMemorySpanExporter.create();
    final InMemoryMetricReader metrics = InMemoryMetricReader.create();
    final OpenTelemetrySdk sdk = OpenTelemetrySdk.builder()
            .setTracerProvider(SdkTracerProvider.builder()
                    .addSpanProcessor(SimpleSpanProcessor.create(spans))
                    .build())
            .setMeterProvider(
                    SdkMeterProvider.builder().registerMetricReader(metrics).build())
            .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
            .build();

    /** The application's {@code OpenTelemetry} bean. */
    @Dependent
    static class Producer {
        @Produces
        @Singleton
        OpenTelemetry openTelemetry() {
            return current.sdk;
        }
    }

    private InMemoryTelemetry() {}

    /** @return the SDK of the running test, for producers of the test's own */
    static OpenTelemetry current() {
        return current.sdk;
    }

    /** A fresh SDK, handed out by {@link Producer} until closed. */
    static InMemoryTelemetry start() {
        InMemoryTelemetry telemetry = new InMemoryTelemetry();
        current = telemetry;
        return telemetry;
    }

    /** @return the finished spans of one alias, in the order they ended */
    List<SpanData> spansOf(String alias) {
        return spans.getFinishedSpanItems().stream()
                .filter(span -> alias.equals(span.getAttributes().get(ALIAS)))
                .collect(Collectors.toList());
    }

    /** @return the finished spans of one alias's calls, without its {@code Connect}, in the order they ended */
    List<SpanData> callSpansOf(String alias) {
        return spansOf(alias).stream()
                .filter(span -> !span.getName().equals("Connect"))
                .collect(Collectors.toList());
    }

    /** @return the points of {@code db.client.operation.duration} of one alias */
    List<HistogramPointData> durationsOf(String alias) {
        return metrics.collectAllMetrics().stream()
                .filter(metric -> metric.getName().equals("db.client.operation.duration"))
                .map(MetricData::getHistogramData)
                .flatMap(histogram -> histogram.getPoints().stream())
                .filter(point -> alias.equals(point.getAttributes().get(ALIAS)))
                .collect(Collectors.toList());
    }

    /** @return the unit of {@code db.client.operation.duration}; {@code null} when nothing was recorded */
    String durationUnit() {
        return metrics.collectAllMetrics().stream()
                .filter(metric -> metric.getName().equals("db.client.operation.duration"))
                .map(MetricData::getUnit)
                .findFirst()
                .orElse(null);
    }

    @Override
    public void close() {
        current = null;
        sdk.close();
    }
}
