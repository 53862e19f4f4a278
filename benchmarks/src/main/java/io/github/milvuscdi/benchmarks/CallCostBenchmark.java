package io.github.milvuscdi.benchmarks;

import com.sun.management.ThreadMXBean;
import io.github.milvuscdi.MilvusConnection;
import io.github.milvuscdi.MilvusConnections;
import io.github.milvuscdi.internal.cdi.MilvusExtension;
import io.github.milvuscdi.launcher.MilvusLiteServer;
import io.milvus.v2.client.ConnectConfig;
import io.milvus.v2.client.MilvusClientV2;
import io.milvus.v2.service.collection.request.CreateCollectionReq;
import io.milvus.v2.service.collection.request.HasCollectionReq;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.lang.management.ManagementFactory;
import java.util.Map;
import java.util.concurrent.TimeUnit;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Issue 28: what a call through one of our clients costs beside the same call through a client built
 * by hand. Four clients of one milvus-lite on loopback: {@code byHand}, {@code new MilvusClientV2(
 * ConnectConfig.builder().uri(…).build())}; {@code registry}, from {@code MilvusConnections.create()}
 * (no container, so no telemetry); {@code plain} and {@code traced}, injected by Weld SE with the
 * portable extension and an {@code OpenTelemetry} bean (the OpenTelemetry SDK, always sampling, spans
 * batched to an exporter that counts them), with {@code telemetry.enabled=false} and on. One operation
 * is one {@code hasCollection} through each client, the first one rotating every operation, each timed
 * with {@code System.nanoTime()} into {@link Calls}; {@code summarize.py} turns the counters into
 * per-call differences and ratios against {@code byHand}. Run on one thread, and on 16 and 64 at once:
 * then each thread alternates the same way, and a side's mean time per call is what its callers wait,
 * so a side that lost throughput shows a longer time than {@code byHand}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 3, jvmArgsAppend = "-Dio.opentelemetry.context.contextStorageProvider=default")
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 8, time = 2)
public class CallCostBenchmark {

    private static final String COLLECTION = "bench_calls";
    private static final ThreadMXBean THREADS = (ThreadMXBean) ManagementFactory.getThreadMXBean();
    private static final int SIDES = 4;

    /** The calls of one iteration on one thread, by side; JMH sums the threads' fields. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class Calls {
        /** Time spent in calls of the client built by hand. */
        public long byHandNanos;
        /** How many calls of the client built by hand. */
        public long byHandCalls;
        /** CPU time of the calling thread in calls of the client built by hand. */
        public long byHandCpuNanos;
        /** Bytes the calling thread allocated in calls of the client built by hand. */
        public long byHandAllocatedBytes;
        /** The same for the registry's client. */
        public long registryNanos;
        /** How many. */
        public long registryCalls;
        /** CPU time. */
        public long registryCpuNanos;
        /** Bytes allocated. */
        public long registryAllocatedBytes;
        /** The same for the injected client with telemetry off. */
        public long plainNanos;
        /** How many. */
        public long plainCalls;
        /** CPU time. */
        public long plainCpuNanos;
        /** Bytes allocated. */
        public long plainAllocatedBytes;
        /** The same for the injected client with telemetry on. */
        public long tracedNanos;
        /** How many. */
        public long tracedCalls;
        /** CPU time. */
        public long tracedCpuNanos;
        /** Bytes allocated. */
        public long tracedAllocatedBytes;

        private long operations;

        /** Starts each iteration from zero. */
        @Setup(Level.Iteration)
        public void reset() {
            byHandNanos = byHandCalls = byHandCpuNanos = byHandAllocatedBytes = 0;
            registryNanos = registryCalls = registryCpuNanos = registryAllocatedBytes = 0;
            plainNanos = plainCalls = plainCpuNanos = plainAllocatedBytes = 0;
            tracedNanos = tracedCalls = tracedCpuNanos = tracedAllocatedBytes = 0;
        }

        void add(int side, long nanos, long cpuNanos, long allocated) {
            switch (side) {
                case 0 -> {
                    byHandNanos += nanos;
                    byHandCpuNanos += cpuNanos;
                    byHandAllocatedBytes += allocated;
                    byHandCalls++;
                }
                case 1 -> {
                    registryNanos += nanos;
                    registryCpuNanos += cpuNanos;
                    registryAllocatedBytes += allocated;
                    registryCalls++;
                }
                case 2 -> {
                    plainNanos += nanos;
                    plainCpuNanos += cpuNanos;
                    plainAllocatedBytes += allocated;
                    plainCalls++;
                }
                default -> {
                    tracedNanos += nanos;
                    tracedCpuNanos += cpuNanos;
                    tracedAllocatedBytes += allocated;
                    tracedCalls++;
                }
            }
        }
    }

    /** The application: the two injected aliases, and its OpenTelemetry. */
    @Dependent
    public static class Application {
        static OpenTelemetrySdk sdk;

        @Inject
        @MilvusConnection("plain")
        MilvusClientV2 plain;

        @Inject
        @MilvusConnection("traced")
        MilvusClientV2 traced;

        /** @return the OpenTelemetry of the application */
        @Produces
        @Singleton
        OpenTelemetry openTelemetry() {
            return sdk;
        }
    }

    private MilvusLiteServer server;
    private MilvusClientV2 byHand;
    private MilvusConnections registry;
    private WeldContainer container;
    private TelemetryBenchmark.CountingExporter exported;
    private HasCollectionReq request;
    /** By side: byHand, registry, plain, traced. */
    private MilvusClientV2[] clients;

    /** Starts milvus-lite, the four clients, creates the collection, and checks the traced side traces. */
    @Setup(Level.Trial)
    public void setUp() {
        BenchmarkSupport.quietLogging();
        server = MilvusLiteServer.start("bench-calls");
        THREADS.setThreadCpuTimeEnabled(true);
        THREADS.setThreadAllocatedMemoryEnabled(true);
        byHand = new MilvusClientV2(ConnectConfig.builder().uri(server.uri()).build());
        registry = MilvusConnections.create();
        MilvusClientV2 fromRegistry = registry.connect("bench", Map.of("uri", server.uri()));
        exported = new TelemetryBenchmark.CountingExporter();
        Application.sdk = OpenTelemetrySdk.builder()
                .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
                .setTracerProvider(SdkTracerProvider.builder()
                        .addSpanProcessor(BatchSpanProcessor.builder(exported).build())
                        .build())
                .setMeterProvider(SdkMeterProvider.builder()
                        .registerMetricReader(InMemoryMetricReader.create())
                        .build())
                .build();
        ConfigProviderResolver.instance()
                .registerConfig(
                        BenchmarkSupport.config(Map.of(
                                "milvus.connections.plain.uri", server.uri(),
                                "milvus.connections.plain.telemetry.enabled", "false",
                                "milvus.connections.traced.uri", server.uri())),
                        Thread.currentThread().getContextClassLoader());
        container = new Weld("bench-calls")
                .disableDiscovery()
                .property("org.jboss.weld.construction.relaxed", false)
                .addBeanClasses(Application.class)
                .addExtension(new MilvusExtension())
                .initialize();
        Application application = container.select(Application.class).get();
        clients = new MilvusClientV2[] {byHand, fromRegistry, application.plain, application.traced};
        byHand.createCollection(CreateCollectionReq.builder()
                .collectionName(COLLECTION)
                .dimension(4)
                .build());
        request = HasCollectionReq.builder().collectionName(COLLECTION).build();
        for (MilvusClientV2 client : clients) {
            if (!client.hasCollection(request)) {
                throw new IllegalStateException("a client does not see the collection");
            }
        }
        checkTracing();
    }

    /** Fails the trial unless the traced side records a span per call and the others none. */
    private void checkTracing() {
        Application.sdk.getSdkTracerProvider().forceFlush().join(10, TimeUnit.SECONDS);
        long before = exported.exported.get();
        for (int side = 0; side < SIDES - 1; side++) {
            clients[side].hasCollection(request);
        }
        Application.sdk.getSdkTracerProvider().forceFlush().join(10, TimeUnit.SECONDS);
        if (exported.exported.get() != before) {
            throw new IllegalStateException("a client with telemetry off recorded a span");
        }
        clients[SIDES - 1].hasCollection(request);
        Application.sdk.getSdkTracerProvider().forceFlush().join(10, TimeUnit.SECONDS);
        if (exported.exported.get() != before + 1) {
            throw new IllegalStateException(
                    "the traced client recorded " + (exported.exported.get() - before) + " spans for one call");
        }
    }

    /** Closes the clients, the container, the SDK and the server. */
    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        try {
            byHand.close(5);
            registry.close();
            container.shutdown();
            Application.sdk.close();
        } finally {
            server.close();
        }
    }

    /**
     * One {@code hasCollection} through each client, in an order that rotates every operation, so
     * that each side comes first, second, third and last equally often.
     */
    private int everySide(Calls calls) {
        int first = (int) (calls.operations++ % SIDES);
        int answers = 0;
        for (int i = 0; i < SIDES; i++) {
            int side = (first + i) % SIDES;
            long allocatedBefore = THREADS.getCurrentThreadAllocatedBytes();
            long cpuStarted = THREADS.getCurrentThreadCpuTime();
            long started = System.nanoTime();
            boolean exists = clients[side].hasCollection(request);
            long nanos = System.nanoTime() - started;
            long cpuNanos = THREADS.getCurrentThreadCpuTime() - cpuStarted;
            long allocated = THREADS.getCurrentThreadAllocatedBytes() - allocatedBefore;
            calls.add(side, nanos, cpuNanos, allocated);
            answers += exists ? 1 : 0;
        }
        return answers;
    }

    /**
     * @param calls this thread's counters
     * @return the answers, so that nothing is optimized away
     */
    @Benchmark
    @Threads(1)
    public int oneThread(Calls calls) {
        return everySide(calls);
    }

    /**
     * @param calls this thread's counters
     * @return the answers, so that nothing is optimized away
     */
    @Benchmark
    @Threads(16)
    public int threads16(Calls calls) {
        return everySide(calls);
    }

    /**
     * @param calls this thread's counters
     * @return the answers, so that nothing is optimized away
     */
    @Benchmark
    @Threads(64)
    public int threads64(Calls calls) {
        return everySide(calls);
    }
}
