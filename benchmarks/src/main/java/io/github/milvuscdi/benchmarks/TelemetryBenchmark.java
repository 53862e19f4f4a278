package io.github.milvuscdi.benchmarks;

import com.sun.management.ThreadMXBean;
import io.github.milvuscdi.MilvusConnection;
import io.github.milvuscdi.internal.cdi.MilvusExtension;
import io.github.milvuscdi.internal.sdk.MilvusSdk;
import io.github.milvuscdi.launcher.MilvusLiteServer;
import io.milvus.v2.client.MilvusClientV2;
import io.milvus.v2.service.collection.request.CreateCollectionReq;
import io.milvus.v2.service.collection.request.HasCollectionReq;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.lang.management.ManagementFactory;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
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
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Issues 15 and 26: what tracing and timing add to a small RPC. Three aliases on one milvus-lite, injected
 * by Weld SE with the portable extension and an {@code OpenTelemetry} bean (the OpenTelemetry SDK,
 * always sampling, spans batched to an exporter that counts them, metrics held for a reader):
 * {@code traced} with telemetry on, {@code plain} with {@code telemetry.enabled=false}, and {@code floor},
 * telemetry off but traced by {@link OpenTelemetryFloor}, the least any tracing does (the SDK's span
 * and point, the propagation): {@code floor − plain} is what is not ours, {@code traced − floor} what
 * is. One operation is {@code hasCollection} on each alias in a rotating order, each timed and added to
 * {@link Calls}; {@code summarize.py} turns the counters into per-call differences and ratios. The
 * setup checks that spans are really recorded for {@code traced} and {@code floor}, never for
 * {@code plain}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(
        value = 5,
        jvmArgsAppend =
                "-Dio.opentelemetry.context.contextStorageProvider=default") // as in production: not sdk-testing's
// storage
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 8, time = 2)
public class TelemetryBenchmark {

    private static final String COLLECTION = "bench_telemetry";
    private static final ThreadMXBean THREADS = (ThreadMXBean) ManagementFactory.getThreadMXBean();

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
        /** CPU time of the calling thread in calls of the traced alias (the SDK's blocking calls run their callbacks there). */
        public long tracedCpuNanos;
        /** CPU time of the calling thread in calls of the alias with telemetry off. */
        public long plainCpuNanos;
        /** Bytes the calling thread allocated in calls of the traced alias. */
        public long tracedAllocatedBytes;
        /** Bytes the calling thread allocated in calls of the alias with telemetry off. */
        public long plainAllocatedBytes;
        /** Time spent in calls of the alias traced by {@link OpenTelemetryFloor} alone. */
        public long floorNanos;
        /** How many calls of the floor alias. */
        public long floorCalls;
        /** CPU time of the calling thread in calls of the floor alias. */
        public long floorCpuNanos;
        /** Bytes the calling thread allocated in calls of the floor alias. */
        public long floorAllocatedBytes;

        /** Starts each iteration from zero. */
        @Setup(Level.Iteration)
        public void reset() {
            tracedNanos = 0;
            tracedCalls = 0;
            plainNanos = 0;
            plainCalls = 0;
            tracedCpuNanos = 0;
            plainCpuNanos = 0;
            tracedAllocatedBytes = 0;
            plainAllocatedBytes = 0;
            floorNanos = 0;
            floorCalls = 0;
            floorCpuNanos = 0;
            floorAllocatedBytes = 0;
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

        @Inject
        @MilvusConnection("floor")
        MilvusClientV2 floor;

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

    /**
     * Where ended spans go: {@code batch}, the SDK's {@code BatchSpanProcessor} to an exporter that
     * counts them (as an application exports them); {@code counting}, a processor that only counts them,
     * which leaves the cost of the interceptor and of making the span, without the batch processor's.
     */
    @Param({"batch", "counting"})
    public String spanProcessor;

    /**
     * How the span's context goes to the server: {@code w3c}, W3C trace context as MicroProfile Telemetry
     * and Quarkus default to (a {@code traceparent} header per call); {@code none}, no propagation, which
     * leaves the span and the point without the header (issue 26: the header's own cost).
     */
    @Param({"w3c"})
    public String propagation;

    /** Counts the spans that end; keeps nothing. */
    static final class CountingProcessor implements SpanProcessor {
        final AtomicLong ended = new AtomicLong();

        @Override
        public void onStart(Context parentContext, ReadWriteSpan span) {}

        @Override
        public boolean isStartRequired() {
            return false;
        }

        @Override
        public void onEnd(ReadableSpan span) {
            ended.incrementAndGet();
        }

        @Override
        public boolean isEndRequired() {
            return true;
        }
    }

    private MilvusLiteServer server;
    private WeldContainer container;
    private LongSupplier recorded;
    private HasCollectionReq request;
    private MilvusClientV2 traced;
    private MilvusClientV2 plain;
    private MilvusClientV2 floor;
    private Tracer floorTracer;
    private DoubleHistogram floorDuration;

    private static final Attributes FLOOR_CONNECTION = Attributes.builder()
            .put("db.system.name", "milvus")
            .put("milvus.alias", "traced")
            .put("server.address", "127.0.0.1")
            .put("server.port", 19530L)
            .build();
    private static final Attributes FLOOR_POINT = FLOOR_CONNECTION.toBuilder()
            .put("db.operation.name", "HasCollection")
            .put("db.namespace", "default")
            .put("db.collection.name", COLLECTION)
            .build();

    /** Starts milvus-lite and the container, creates the collection, and checks both sides. */
    @Setup(Level.Trial)
    public void setUp() {
        BenchmarkSupport.quietLogging();
        server = MilvusLiteServer.start("bench-telemetry");
        SpanProcessor processor;
        if (spanProcessor.equals("batch")) {
            CountingExporter exporter = new CountingExporter();
            processor = BatchSpanProcessor.builder(exporter).build();
            recorded = exporter.exported::get;
        } else {
            CountingProcessor counting = new CountingProcessor();
            processor = counting;
            recorded = counting.ended::get;
        }
        if (!THREADS.isCurrentThreadCpuTimeSupported()) {
            throw new IllegalStateException("This JVM cannot measure a thread's CPU time");
        }
        THREADS.setThreadCpuTimeEnabled(true);
        THREADS.setThreadAllocatedMemoryEnabled(true);
        Application.sdk = OpenTelemetrySdk.builder()
                // as MicroProfile Telemetry and Quarkus default to: the span's context goes to the server
                .setPropagators(
                        propagation.equals("none")
                                ? ContextPropagators.noop()
                                : ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
                .setTracerProvider(
                        SdkTracerProvider.builder().addSpanProcessor(processor).build())
                .setMeterProvider(SdkMeterProvider.builder()
                        .registerMetricReader(InMemoryMetricReader.create())
                        .build())
                .build();
        Map<String, String> keys = new LinkedHashMap<>();
        for (String alias : new String[] {"traced", "plain", "floor"}) {
            keys.put("milvus.connections." + alias + ".uri", server.uri());
            keys.put("milvus.connections." + alias + ".keep-alive-without-calls", "false");
        }
        keys.put("milvus.connections.plain.telemetry.enabled", "false");
        keys.put("milvus.connections.floor.telemetry.enabled", "false");
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        ConfigProviderResolver.instance().registerConfig(BenchmarkSupport.config(keys), loader);
        container = new Weld("bench-telemetry")
                .disableDiscovery()
                .property("org.jboss.weld.construction.relaxed", false)
                .addBeanClasses(Application.class)
                .addExtension(new MilvusExtension())
                .initialize();
        Application application = container.select(Application.class).get();
        traced = application.traced;
        plain = application.plain;
        floor = application.floor;
        // the floor alias's calls go through the least tracing there is, in the place ours takes
        MilvusSdk.interceptCalls(
                floor,
                new OpenTelemetryFloor(
                        Application.sdk,
                        "HasCollection " + COLLECTION,
                        FLOOR_CONNECTION.toBuilder()
                                .put("db.operation.name", "HasCollection")
                                .put("db.namespace", "default")
                                .put("db.collection.name", COLLECTION)
                                .build(),
                        FLOOR_POINT));
        traced.createCollection(CreateCollectionReq.builder()
                .collectionName(COLLECTION)
                .dimension(4)
                .build());
        request = HasCollectionReq.builder().collectionName(COLLECTION).build();
        check();
        floorTracer = Application.sdk.getTracer("floor");
        floorDuration = Application.sdk
                .getMeter("floor")
                .histogramBuilder("db.client.operation.duration")
                .setUnit("s")
                .build();
    }

    /** Fails the trial unless the traced side records spans and the plain side none. */
    private void check() {
        Application.sdk.getSdkTracerProvider().forceFlush().join(10, TimeUnit.SECONDS);
        long before = recorded.getAsLong();
        plain.hasCollection(request);
        Application.sdk.getSdkTracerProvider().forceFlush().join(10, TimeUnit.SECONDS);
        if (recorded.getAsLong() != before) {
            throw new IllegalStateException("the alias with telemetry off recorded a span");
        }
        traced.hasCollection(request);
        Application.sdk.getSdkTracerProvider().forceFlush().join(10, TimeUnit.SECONDS);
        if (recorded.getAsLong() != before + 1) {
            throw new IllegalStateException(
                    "the traced alias recorded " + (recorded.getAsLong() - before) + " spans for one call");
        }
        floor.hasCollection(request);
        Application.sdk.getSdkTracerProvider().forceFlush().join(10, TimeUnit.SECONDS);
        if (recorded.getAsLong() != before + 2) {
            throw new IllegalStateException(
                    "the floor alias recorded " + (recorded.getAsLong() - before - 1) + " spans for one call");
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
     * One {@code hasCollection} through each alias: traced, floor and plain, in an order that rotates
     * every operation, so that no side always runs first, or always after the same one.
     *
     * @param calls the per-side counters
     * @return the answers, so that nothing is optimized away
     */
    @Benchmark
    public int alternating(Calls calls) {
        int first = (int) ((calls.tracedCalls + calls.plainCalls + calls.floorCalls) / 3 % 3);
        int answers = 0;
        for (int turn = 0; turn < 3; turn++) {
            int side = (first + turn) % 3;
            MilvusClientV2 client = side == 0 ? traced : side == 1 ? floor : plain;
            long allocatedBefore = THREADS.getCurrentThreadAllocatedBytes();
            long cpuStarted = THREADS.getCurrentThreadCpuTime();
            long started = System.nanoTime();
            boolean exists = client.hasCollection(request);
            long nanos = System.nanoTime() - started;
            long cpuNanos = THREADS.getCurrentThreadCpuTime() - cpuStarted;
            long allocated = THREADS.getCurrentThreadAllocatedBytes() - allocatedBefore;
            if (side == 0) {
                calls.tracedNanos += nanos;
                calls.tracedCpuNanos += cpuNanos;
                calls.tracedAllocatedBytes += allocated;
                calls.tracedCalls++;
            } else if (side == 1) {
                calls.floorNanos += nanos;
                calls.floorCpuNanos += cpuNanos;
                calls.floorAllocatedBytes += allocated;
                calls.floorCalls++;
            } else {
                calls.plainNanos += nanos;
                calls.plainCpuNanos += cpuNanos;
                calls.plainAllocatedBytes += allocated;
                calls.plainCalls++;
            }
            answers += exists ? 1 : 0;
        }
        return answers;
    }

    /**
     * The floor under the traced side's extra cost: what the OpenTelemetry SDK of the application
     * itself spends on one CLIENT span with the attributes a Milvus call has, and one histogram point,
     * with no RPC. Measured in the same forks, with the same SDK; spans beyond the batch processor's
     * queue are dropped, which makes this floor, if anything, lower than in the traced calls.
     *
     * @return the span, so that nothing is optimized away
     */
    @Benchmark
    @Fork(value = 2, jvmArgsAppend = "-Dio.opentelemetry.context.contextStorageProvider=default")
    @Warmup(iterations = 3, time = 1)
    @Measurement(iterations = 5, time = 1)
    public Span openTelemetryAlone() {
        Span span = floorTracer
                .spanBuilder("HasCollection")
                .setSpanKind(SpanKind.CLIENT)
                .setParent(Context.current())
                .setAllAttributes(FLOOR_CONNECTION)
                .setAttribute("db.operation.name", "HasCollection")
                .setAttribute("db.namespace", "default")
                .startSpan();
        span.setAttribute("db.collection.name", COLLECTION);
        span.updateName("HasCollection " + COLLECTION);
        span.end();
        floorDuration.record(1e-3, FLOOR_POINT, Context.current().with(span));
        return span;
    }
}
