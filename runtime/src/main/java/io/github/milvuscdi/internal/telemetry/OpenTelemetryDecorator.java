package io.github.milvuscdi.internal.telemetry;

import io.github.milvuscdi.internal.client.ClientDecorator;
import io.github.milvuscdi.internal.config.ConnectionSettings;
import io.github.milvuscdi.internal.sdk.MilvusSdk;
import io.milvus.v2.client.MilvusClientV2;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.DoubleHistogramBuilder;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.propagation.TextMapPropagator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Traces and times the calls of each client whose alias has telemetry on: its own
 * {@code telemetry.enabled} when set, else the global switch. Loaded only by {@link Telemetry}, once
 * OpenTelemetry is known to be there.
 *
 * <p>The container's {@code OpenTelemetry} is asked for at the first traced call, not when a client
 * is created: the bean that produces it may itself inject a Milvus client. Calls made while it is
 * being created (from that bean's own construction, or on other threads meanwhile) are not traced,
 * and none are when it cannot be created (logged once).
 *
 * <p>Thread-safe.
 */
final class OpenTelemetryDecorator implements ClientDecorator {

    /** The instrumentation scope of the spans and the histogram. */
    static final String SCOPE = "io.github.milvuscdi";

    /** OpenTelemetry's advice for {@code db.client.operation.duration}, in seconds. */
    private static final List<Double> BUCKETS = List.of(0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1.0, 5.0, 10.0);

    private static final Logger LOG = Logger.getLogger(OpenTelemetryDecorator.class.getName());
    private static final int UNRESOLVED = 0;
    private static final int RESOLVING = 1;
    private static final int READY = 2;
    private static final int UNUSABLE = 3;

    /** What every traced call uses, from the container's {@code OpenTelemetry}. */
    record Instruments(Tracer tracer, DoubleHistogram duration, TextMapPropagator propagator) {}

    private final Supplier<Object> openTelemetry;
    private final boolean enabledByDefault;
    private final AtomicInteger state = new AtomicInteger(UNRESOLVED);
    private volatile Instruments instruments;
    private final ConnectSpans connects = new ConnectSpans(() -> instruments);
    private final FlushWaitSpans flushWaits = new FlushWaitSpans();

    /**
     * @param openTelemetry gives the container's {@link OpenTelemetry}; asked once, at the first traced call
     * @param enabledByDefault the global switch, for aliases that do not set their own
     */
    OpenTelemetryDecorator(Supplier<Object> openTelemetry, boolean enabledByDefault) {
        this.openTelemetry = openTelemetry;
        this.enabledByDefault = enabledByDefault;
    }

    @Override
    public void decorate(ConnectionSettings settings, MilvusClientV2 client) {
        if (enabled(settings)) {
            MilvusSdk.interceptCalls(client, new TracingInterceptor(settings, this::instruments));
            MilvusSdk.observeFlushes(client, flushWaits);
            LOG.fine(() -> "Milvus alias '" + settings.alias() + "': calls are traced");
        }
    }

    @Override
    public Connecting connecting(ConnectionSettings settings) {
        return enabled(settings) ? connects.connecting(settings) : Connecting.NONE;
    }

    private boolean enabled(ConnectionSettings settings) {
        return settings.telemetryEnabled() != null ? settings.telemetryEnabled() : enabledByDefault;
    }

    /** @return the instruments; {@code null} while they are being created, or when they cannot be */
    Instruments instruments() {
        Instruments ready = instruments;
        if (ready != null || !state.compareAndSet(UNRESOLVED, RESOLVING)) {
            return ready;
        }
        try {
            OpenTelemetry telemetry = (OpenTelemetry) openTelemetry.get();
            Instruments created = new Instruments(
                    telemetry.getTracer(SCOPE),
                    duration(telemetry.getMeter(SCOPE)),
                    telemetry.getPropagators().getTextMapPropagator());
            instruments = created;
            state.set(READY);
            connects.record(created); // the connects that ended before
            return created;
        } catch (RuntimeException | LinkageError unusable) {
            state.set(UNUSABLE);
            LOG.log(
                    Level.WARNING,
                    unusable,
                    () -> "Milvus calls are not traced: the application's " + Telemetry.API + " bean cannot be used: "
                            + unusable);
            return null;
        }
    }

    /**
     * The histogram, with OpenTelemetry's bucket advice where the server's API has it: the API of
     * Payara 6 and of Helidon 4.1 (before 1.32) does not, and their calls are traced all the same, timed in
     * the SDK's buckets.
     */
    private static DoubleHistogram duration(Meter meter) {
        DoubleHistogramBuilder builder = meter.histogramBuilder("db.client.operation.duration")
                .setUnit("s")
                .setDescription("Duration of Milvus calls");
        try {
            return builder.setExplicitBucketBoundariesAdvice(BUCKETS).build();
        } catch (NoSuchMethodError olderApi) {
            return builder.build();
        }
    }
}
