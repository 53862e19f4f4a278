package io.github.milvuscdi.benchmarks;

import io.github.milvuscdi.MilvusConnection;
import io.github.milvuscdi.internal.cdi.MilvusExtension;
import io.github.milvuscdi.testing.MilvusLiteServer;
import io.milvus.v2.client.MilvusClientV2;
import io.milvus.v2.service.collection.request.CreateCollectionReq;
import io.milvus.v2.service.collection.request.HasCollectionReq;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.microprofile.config.spi.ConfigProviderResolver;
import org.jboss.weld.environment.se.Weld;
import org.jboss.weld.environment.se.WeldContainer;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Issue 15: what tracing and timing add to a small RPC. Two aliases on one milvus-lite, injected by
 * Weld SE with the portable extension and an {@code OpenTelemetry} bean (the OpenTelemetry SDK,
 * always sampling, spans batched to an exporter that counts them, metrics held for a reader):
 * {@code traced} with telemetry on, {@code plain} with {@code telemetry.enabled=false}. One
 * operation is {@code hasCollection} on one alias and then on the other, each timed with
 * {@code System.nanoTime()} and added to {@link Calls}; {@code summarize.py} turns the counters into
 * the per-call difference and ratio. The setup checks that spans are really recorded for
 * {@code traced} and never for {@code plain}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(3)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 8, time = 2)
public class TelemetryBenchmark {

    private static final String COLLECTION = "bench_telemetry";

    /** The calls of one iteration, by side; JMH reports the fields as they are at its end. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class Calls {
        /** Time spent in calls of the traced alias. */
        public long tracedNanos;
        /** How many calls of the traced alias. */
        public long tracedCalls;
        /** Time spent in calls of the alias with telemetry off. */
        public long plainNanos;
        /** How many calls of the alias with telemetry off. */
        public long plainCalls;

        /** Starts each iteration from zero. */
        @Setup(Level.Iteration)
        public void reset() {
            tracedNanos = 0;
            tracedCalls = 0;
            plainNanos = 0;
            plainCalls = 0;
        }
    }

    /** The application: both aliases, and its OpenTelemetry. */
    @Dependent
    public static class Application {
        static OpenTelemetrySdk sdk;

        @Inject
        @MilvusConnection("traced")
        MilvusClientV2 traced;

        @Inject
        @MilvusConnection("plain")
        MilvusClientV2 plain;

        /** @return the OpenTelemetry of the application */
        @Produces
        @Singleton
        OpenTelemetry openTelemetry() {
            return sdk;
        }
    }

    /** Counts what the batch processor exports; keeps nothing. */
    static final class CountingExporter implements SpanExporter {
        final AtomicLong exported = new AtomicLong();

        @Override
        public CompletableResultCode export(Collection<SpanData> spans) {
            exported.addAndGet(spans.size());
            return CompletableResultCode.ofSuccess();
        }

        @Override
        public CompletableResultCode flush() {
            return CompletableResultCode.ofSuccess();
        }

        @Override
        public CompletableResultCode shutdown() {
            return CompletableResultCode.ofSuccess();
        }
    }

    private MilvusLiteServer server;
    private WeldContainer container;
    private CountingExporter exporter;
    private HasCollectionReq request;
    private MilvusClientV2 traced;
    private MilvusClientV2 plain;

    /** Starts milvus-lite and the container, creates the collection, and checks both sides. */
    @Setup(Level.Trial)
    public void setUp() {
        BenchmarkSupport.quietLogging();
        server = MilvusLiteServer.start("bench-telemetry");
        exporter = new CountingExporter();
        Application.sdk = OpenTelemetrySdk.builder()
                .setTracerProvider(SdkTracerProvider.builder()
                        .addSpanProcessor(BatchSpanProcessor.builder(exporter).build()).build())
                .setMeterProvider(SdkMeterProvider.builder().registerMetricReader(InMemoryMetricReader.create())
                        .build())
                .build();
        Map<String, String> keys = new LinkedHashMap<>();
        for (String alias : new String[] {"traced", "plain"}) {
            keys.put("milvus.connections." + alias + ".uri", server.uri());
            keys.put("milvus.connections." + alias + ".keep-alive-without-calls", "false");
        }
        keys.put("milvus.connections.plain.telemetry.enabled", "false");
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        ConfigProviderResolver.instance().registerConfig(BenchmarkSupport.config(keys), loader);
        container = new Weld("bench-telemetry").disableDiscovery()
                .property("org.jboss.weld.construction.relaxed", false)
                .addBeanClasses(Application.class)
                .addExtension(new MilvusExtension())
                .initialize();
        Application application = container.select(Application.class).get();
        traced = application.traced;
        plain = application.plain;
        traced.createCollection(CreateCollectionReq.builder().collectionName(COLLECTION).dimension(4).build());
        request = HasCollectionReq.builder().collectionName(COLLECTION).build();
        check();
    }

    /** Fails the trial unless the traced side records spans and the plain side none. */
    private void check() {
        Application.sdk.getSdkTracerProvider().forceFlush().join(10, TimeUnit.SECONDS);
        long before = exporter.exported.get();
        plain.hasCollection(request);
        Application.sdk.getSdkTracerProvider().forceFlush().join(10, TimeUnit.SECONDS);
        if (exporter.exported.get() != before) {
            throw new IllegalStateException("the alias with telemetry off recorded a span");
        }
        traced.hasCollection(request);
        Application.sdk.getSdkTracerProvider().forceFlush().join(10, TimeUnit.SECONDS);
        if (exporter.exported.get() != before + 1) {
            throw new IllegalStateException("the traced alias recorded " + (exporter.exported.get() - before)
                    + " spans for one call");
        }
    }

    /** Stops the container, the SDK and the server. */
    @TearDown(Level.Trial)
    public void tearDown() {
        try {
            container.shutdown();
            Application.sdk.close();
        } finally {
            server.close();
        }
    }

    /**
     * One {@code hasCollection} through each alias, traced first on even operations and plain first
     * on odd ones, so neither side always runs on a warmer path.
     *
     * @param calls the per-side counters
     * @return both answers, so that nothing is optimized away
     */
    @Benchmark
    public int alternating(Calls calls) {
        boolean tracedFirst = ((calls.tracedCalls + calls.plainCalls) & 2) == 0;
        int answers = 0;
        for (int side = 0; side < 2; side++) {
            boolean tracedSide = (side == 0) == tracedFirst;
            long started = System.nanoTime();
            boolean exists = (tracedSide ? traced : plain).hasCollection(request);
            long nanos = System.nanoTime() - started;
            if (tracedSide) {
                calls.tracedNanos += nanos;
                calls.tracedCalls++;
            } else {
                calls.plainNanos += nanos;
                calls.plainCalls++;
            }
            answers += exists ? 1 : 0;
        }
        return answers;
    }
}
