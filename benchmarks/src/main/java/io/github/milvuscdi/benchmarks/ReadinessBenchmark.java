package io.github.milvuscdi.benchmarks;

import io.github.milvuscdi.harness.SilentListener;
import io.github.milvuscdi.internal.cdi.MilvusExtension;
import io.github.milvuscdi.internal.health.MilvusReadinessCheck;
import io.github.milvuscdi.launcher.MilvusLiteServer;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.health.AsyncHealthCheckFactory;
import io.smallrye.health.SmallRyeHealth;
import io.smallrye.health.SmallRyeHealthReporter;
import java.lang.management.ManagementFactory;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.spi.ConfigProviderResolver;
import org.jboss.weld.environment.se.Weld;
import org.jboss.weld.environment.se.WeldContainer;

/**
 * Measures how long the readiness probe takes, end to end through SmallRye Health as a Kubernetes
 * probe would call it, with 1, 4 and 16 healthy aliases and with one blackholed alias among 4, in
 * one run; prints a Markdown table (the one in {@code docs/benchmarks/readiness.md}).
 *
 * <p>Each healthy alias has its own client, spread over four milvus-lite servers. The first probe
 * of a container connects every alias in the background and is reported apart ("cold"); then
 * {@value #WARMUP} probes are discarded and {@value #MEASURED} are measured, one after the other.
 * {@code milvus.health.timeout} keeps its default, 2 s.
 *
 * <pre>
 * benchmarks/run.sh readiness
 * </pre>
 *
 * Not a JUnit test: it runs for about a minute and asserts nothing.
 */
public final class ReadinessBenchmark {

    static final int WARMUP = 20;
    static final int MEASURED = 200;
    static final int MEASURED_BLACKHOLED = 10;
    static final int SERVERS = 4;

    private ReadinessBenchmark() {}

    /**
     * Runs every scenario and prints the table.
     *
     * @param args ignored
     */
    public static void main(String[] args) throws Exception {
        double loadBefore = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        List<MilvusLiteServer> servers = new ArrayList<>();
        List<String> rows = new ArrayList<>();
        try (SilentListener blackhole = SilentListener.open()) {
            for (int i = 0; i < SERVERS; i++) {
                servers.add(MilvusLiteServer.start("bench-" + i));
            }
            rows.add(run("1 healthy alias", servers, 1, null, MEASURED));
            rows.add(run("4 healthy aliases", servers, 4, null, MEASURED));
            rows.add(run("16 healthy aliases", servers, 16, null, MEASURED));
            rows.add(run("4 aliases, 1 blackholed", servers, 3, blackhole, MEASURED_BLACKHOLED));
        } finally {
            servers.forEach(MilvusLiteServer::close);
        }
        System.out.println();
        System.out.println("Date: " + LocalDate.now() + "; Java " + System.getProperty("java.version") + " ("
                + System.getProperty("java.vm.name") + "); "
                + Runtime.getRuntime().availableProcessors()
                + " processors; " + System.getProperty("os.name") + " " + System.getProperty("os.arch")
                + String.format(
                        Locale.ROOT,
                        "; load average %.1f before, %.1f after",
                        loadBefore,
                        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()));
        System.out.println();
        System.out.println(
                "| scenario | overall | cold probe (ms) | probes | p50 (ms) | p90 (ms) | p99 (ms) | max (ms) |");
        System.out.println("|---|---|---:|---:|---:|---:|---:|---:|");
        rows.forEach(System.out::println);
        System.exit(0); // the SDK's and Weld's non-daemon threads would keep the JVM running
    }

    private static String run(
            String scenario, List<MilvusLiteServer> servers, int healthy, SilentListener blackhole, int measured)
            throws Exception {
        Map<String, String> config = new HashMap<>();
        for (int i = 0; i < healthy; i++) {
            config.put(
                    "milvus.connections.a" + i + ".uri",
                    servers.get(i % servers.size()).uri());
        }
        if (blackhole != null) {
            config.put("milvus.connections.hung.uri", blackhole.uri());
        }
        ConfigProviderResolver resolver = ConfigProviderResolver.instance();
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        resolver.registerConfig(
                new SmallRyeConfigBuilder()
                        .withSources(new PropertiesConfigSource(config, "benchmark", 500))
                        .build(),
                loader);
        try (WeldContainer container = new Weld("readiness-benchmark-" + System.nanoTime())
                .disableDiscovery()
                .addExtension(new MilvusExtension())
                .addBeanClasses(MilvusReadinessCheck.class, SmallRyeHealthReporter.class, AsyncHealthCheckFactory.class)
                .initialize()) {
            SmallRyeHealthReporter reporter =
                    container.select(SmallRyeHealthReporter.class).get();
            long cold = timed(reporter, null);
            for (int i = 0; i < WARMUP && blackhole == null; i++) {
                timed(reporter, null);
            }
            long[] millis = new long[measured];
            String[] status = new String[1];
            for (int i = 0; i < measured; i++) {
                millis[i] = timed(reporter, status);
            }
            Arrays.sort(millis);
            String row = String.format(
                    Locale.ROOT,
                    "| %s | %s | %d | %d | %.1f | %.1f | %.1f | %.1f |",
                    scenario,
                    status[0],
                    cold / 1000,
                    measured,
                    percentile(millis, 50),
                    percentile(millis, 90),
                    percentile(millis, 99),
                    millis[measured - 1] / 1000.0);
            System.out.println(row);
            return row;
        } finally {
            resolver.releaseConfig(resolver.getConfig(loader));
        }
    }

    /** @return how long one readiness call took, in microseconds */
    private static long timed(SmallRyeHealthReporter reporter, String[] status) {
        long started = System.nanoTime();
        SmallRyeHealth health = reporter.getReadiness();
        long micros = TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - started);
        if (status != null) {
            status[0] = health.getStatus().name();
        }
        return micros;
    }

    private static double percentile(long[] sortedMicros, int percent) {
        int index = (int) Math.ceil(percent / 100.0 * sortedMicros.length) - 1;
        return sortedMicros[Math.max(0, Math.min(index, sortedMicros.length - 1))] / 1000.0;
    }
}
