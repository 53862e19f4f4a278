package io.github.milvuscdi.benchmarks;

import io.github.milvuscdi.MilvusConnection;
import io.github.milvuscdi.internal.cdi.MilvusExtension;
import io.github.milvuscdi.internal.container.ContainerLifecycle;
import io.github.milvuscdi.launcher.MilvusLiteServer;
import io.github.milvuscdi.testing.Await;
import io.milvus.v2.client.ConnectConfig;
import io.milvus.v2.client.MilvusClientV2;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.spi.ConfigProviderResolver;
import org.jboss.weld.environment.se.Weld;
import org.jboss.weld.environment.se.WeldContainer;

/**
 * The kill-and-restart scenario of {@code docs/benchmarks/outage.md}, run for a hand-built SDK
 * client with the SDK's defaults and for the injected client with ours, one after the other in one
 * run: 16 threads call {@code listCollections()} in a loop; the server is killed (SIGKILL), kept
 * down 5 s, restarted on the same port and data; the load goes on until every thread succeeded
 * again (at most 60 s after the restart). Prints a Markdown table.
 *
 * <pre>
 * benchmarks/run.sh outage
 * </pre>
 *
 * Not a JUnit test: it runs for about a minute or two and asserts nothing.
 */
public final class OutageBenchmark {

    private static final int THREADS = 16;
    private static final long OUTAGE_MS = 5_000;

    private OutageBenchmark() {}

    /**
     * Runs both scenarios and prints the table.
     *
     * @param args ignored
     */
    public static void main(String[] args) throws Exception {
        double loadBefore = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        List<String> rows = new ArrayList<>();
        try (MilvusLiteServer server = MilvusLiteServer.start("outage-benchmark")) {
            long threadsBefore = grpcThreads();
            MilvusClientV2 handBuilt =
                    new MilvusClientV2(ConnectConfig.builder().uri(server.uri()).build());
            Result sdk;
            try {
                sdk = run(server, handBuilt);
            } finally {
                handBuilt.close(5);
            }
            sdk.threadsBefore = threadsBefore;
            sdk.threadsAfter = awaitGrpcThreadsAtMost(threadsBefore);
            rows.add(sdk.row("hand-built SDK client, SDK defaults"));

            rows.add(injected(server, Map.of("milvus.connections.default.uri", server.uri()))
                    .row("injected client, Milvus CDI defaults (connect-timeout 10s)"));
            rows.add(injected(
                            server,
                            Map.of(
                                    "milvus.connections.default.uri",
                                    server.uri(),
                                    "milvus.connections.default.connect-timeout",
                                    "1s"))
                    .row("injected client, connect-timeout=1s"));
        }
        double loadAfter = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        System.out.println(
                "| client | server down (kill to answering again) | first failure after kill | longest failed call | longest call | "
                        + "all threads back after restart | calls ok | calls failed | log lines (SDK / ours) | "
                        + "gRPC threads before / after |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|");
        rows.forEach(System.out::println);
        System.out.printf(
                Locale.ROOT,
                "%nload average: %.2f before, %.2f after; %d cores%n",
                loadBefore,
                loadAfter,
                Runtime.getRuntime().availableProcessors());
        System.exit(0); // the SDK's and Weld's non-daemon threads would keep the JVM running
    }

    private static Result injected(MilvusLiteServer server, Map<String, String> config) throws Exception {
        long threadsBefore = grpcThreads();
        Result result;
        ConfigProviderResolver resolver = ConfigProviderResolver.instance();
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        resolver.registerConfig(BenchmarkSupport.config(config), loader);
        try (WeldContainer container = new Weld("outage-benchmark-" + System.nanoTime())
                .disableDiscovery()
                .property("org.jboss.weld.construction.relaxed", false)
                .addExtension(new MilvusExtension())
                .addBeanClass(ContainerLifecycle.class)
                .initialize()) {
            result = run(
                    server,
                    container
                            .select(MilvusClientV2.class, MilvusConnection.Literal.of("default"))
                            .get());
        } finally {
            resolver.releaseConfig(resolver.getConfig(loader));
        }
        result.threadsBefore = threadsBefore;
        result.threadsAfter = awaitGrpcThreadsAtMost(threadsBefore);
        return result;
    }

    private static Result run(MilvusLiteServer server, MilvusClientV2 client) throws Exception {
        client.listCollections();
        Result result = new Result();
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicLong[] firstSuccessAfterRestart = new AtomicLong[THREADS];
        AtomicLong killedAt = new AtomicLong(Long.MAX_VALUE);
        AtomicLong restartedAt = new AtomicLong(Long.MAX_VALUE);
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        Counter log = Counter.start();
        try {
            for (int i = 0; i < THREADS; i++) {
                AtomicLong mine = new AtomicLong();
                firstSuccessAfterRestart[i] = mine;
                pool.submit(() -> {
                    while (running.get()) {
                        long started = System.nanoTime();
                        try {
                            client.listCollections();
                            long now = System.nanoTime();
                            if (now - restartedAt.get() > 0) {
                                mine.compareAndSet(0, now);
                            }
                            result.ok.incrementAndGet();
                        } catch (RuntimeException failed) {
                            long now = System.nanoTime();
                            result.failed.incrementAndGet();
                            result.longestFailure.accumulate(now - started);
                            result.firstFailure.accumulate(now);
                        }
                        result.longestCall.accumulate(System.nanoTime() - started);
                    }
                });
            }
            Await.until(() -> result.ok.get() >= 10L * THREADS, Duration.ofSeconds(30), "calls before the outage");
            server.kill();
            killedAt.set(System.nanoTime());
            // the outage's length is the scenario itself, not a wait for something to happen
            TimeUnit.MILLISECONDS.sleep(OUTAGE_MS);
            server.restart();
            long back = System.nanoTime();
            restartedAt.set(back);
            result.downNanos = back - killedAt.get();
            boolean recovered = Await.last(
                    () -> Arrays.stream(firstSuccessAfterRestart).allMatch(first -> first.get() != 0),
                    Boolean::booleanValue,
                    Duration.ofSeconds(60));
            if (recovered) {
                result.recoveredNanos = Arrays.stream(firstSuccessAfterRestart)
                                .mapToLong(AtomicLong::get)
                                .max()
                                .orElseThrow()
                        - back;
            }
        } finally {
            running.set(false);
            pool.shutdown();
            if (!pool.awaitTermination(60, TimeUnit.SECONDS)) {
                result.stuck = true;
                pool.shutdownNow();
            }
            log.close();
        }
        result.killedAt = killedAt.get();
        result.sdkLines = log.sdk.get();
        result.ourLines = log.ours.get();
        return result;
    }

    private static final class Result {
        final AtomicLong ok = new AtomicLong();
        final AtomicLong failed = new AtomicLong();
        final LongAccumulator longestFailure = new LongAccumulator(Math::max, 0);
        final LongAccumulator longestCall = new LongAccumulator(Math::max, 0);
        final LongAccumulator firstFailure = new LongAccumulator(Math::min, Long.MAX_VALUE);
        long killedAt;
        long recoveredNanos = -1;
        long downNanos;
        boolean stuck;
        long sdkLines;
        long ourLines;
        long threadsBefore;
        long threadsAfter;

        String row(String name) {
            String first = failed.get() == 0 ? "none" : ms(firstFailure.get() - killedAt);
            return "| " + name + " | " + ms(downNanos) + " | " + first + " | "
                    + (failed.get() == 0 ? "—" : ms(longestFailure.get()))
                    + " | " + ms(longestCall.get()) + " | "
                    + (recoveredNanos < 0 ? "not within 60 s" : ms(recoveredNanos)) + " | " + ok.get() + " | "
                    + failed.get() + " | " + sdkLines + " / " + ourLines + " | " + threadsBefore + " / "
                    + threadsAfter + (stuck ? " (threads stuck)" : "") + " |";
        }

        private static String ms(long nanos) {
            return TimeUnit.NANOSECONDS.toMillis(nanos) + " ms";
        }
    }

    /** Counts log records of the SDK ({@code io.milvus}) and of this library. */
    private static final class Counter extends Handler implements AutoCloseable {
        final AtomicLong sdk = new AtomicLong();
        final AtomicLong ours = new AtomicLong();

        static Counter start() {
            Counter counter = new Counter();
            counter.setLevel(Level.INFO);
            Logger.getLogger("").addHandler(counter);
            return counter;
        }

        @Override
        public void publish(LogRecord record) {
            if (!isLoggable(record) || record.getLoggerName() == null) {
                return;
            }
            if (record.getLoggerName().startsWith("io.milvus")) {
                sdk.incrementAndGet();
            } else if (record.getLoggerName().startsWith("io.github.milvuscdi.internal.client")) {
                ours.incrementAndGet();
            }
        }

        @Override
        public void flush() {}

        @Override
        public void close() {
            Logger.getLogger("").removeHandler(this);
        }
    }

    /** @return the live gRPC threads (the SDK's event loops and executors) */
    static long grpcThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith("grpc-"))
                .count();
    }

    /** @return the gRPC threads once at most {@code count} are left, or after 10 s, however many there are */
    static long awaitGrpcThreadsAtMost(long count) {
        return Await.last(OutageBenchmark::grpcThreads, now -> now <= count, Duration.ofSeconds(10));
    }
}
