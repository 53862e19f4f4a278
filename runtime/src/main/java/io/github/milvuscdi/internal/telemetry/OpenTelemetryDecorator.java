package io.github.milvuscdi.internal.telemetry;

import io.github.milvuscdi.internal.client.ClientDecorator;
import io.github.milvuscdi.internal.config.ConnectionSettings;
import io.github.milvuscdi.internal.sdk.MilvusSdk;
import io.milvus.v2.client.MilvusClientV2;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.propagation.TextMapPropagator;
import java.util.List;
import java.util.logging.Logger;

/**
 * Traces and times the calls of each client whose alias has telemetry on: its own
 * {@code telemetry.enabled} when set, else the global switch. Loaded only by {@link Telemetry}, once
 * OpenTelemetry is known to be there.
 *
 * <p>Immutable and thread-safe.
 */
final class OpenTelemetryDecorator implements ClientDecorator {

    /** The instrumentation scope of the spans and the histogram. */
    static final String SCOPE = "io.github.milvuscdi";

    /** OpenTelemetry's advice for {@code db.client.operation.duration}, in seconds. */
    private static final List<Double> BUCKETS = List.of(0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1.0, 5.0, 10.0);

    private static final Logger LOG = Logger.getLogger(OpenTelemetryDecorator.class.getName());

    private final boolean enabledByDefault;
    private final Tracer tracer;
    private final DoubleHistogram duration;
    private final TextMapPropagator propagator;

    /**
     * @param openTelemetry the container's {@link OpenTelemetry}
     * @param enabledByDefault the global switch, for aliases that do not set their own
     */
    OpenTelemetryDecorator(Object openTelemetry, boolean enabledByDefault) {
        OpenTelemetry telemetry = (OpenTelemetry) openTelemetry;
        this.enabledByDefault = enabledByDefault;
        this.tracer = telemetry.getTracer(SCOPE);
        this.duration = telemetry.getMeter(SCOPE).histogramBuilder("db.client.operation.duration")
                .setUnit("s")
                .setDescription("Duration of Milvus calls")
                .setExplicitBucketBoundariesAdvice(BUCKETS)
                .build();
        this.propagator = telemetry.getPropagators().getTextMapPropagator();
    }

    @Override
    public void decorate(ConnectionSettings settings, MilvusClientV2 client) {
        boolean enabled = settings.telemetryEnabled() != null ? settings.telemetryEnabled() : enabledByDefault;
        if (enabled) {
            MilvusSdk.interceptCalls(client, new TracingInterceptor(settings, tracer, duration, propagator));
            LOG.fine(() -> "Milvus alias '" + settings.alias() + "': calls are traced");
        }
    }
}
