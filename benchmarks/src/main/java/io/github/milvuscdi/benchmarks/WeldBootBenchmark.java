package io.github.milvuscdi.benchmarks;

import io.github.milvuscdi.MilvusConnections;
import io.github.milvuscdi.internal.cdi.MilvusExtension;
import jakarta.enterprise.context.Dependent;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.Config;
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
 * Issue 3: what the portable extension adds to a Weld SE boot (initialize, then shutdown) when
 * 0, 1, 10 or 100 aliases are configured and none is injected.
 *
 * <p>The operation alternates two boots of the same bean archive under the same configuration:
 * one with {@link MilvusExtension}, one without it (the baseline). Each boot is timed on its own
 * and added to {@link Boots}, which JMH reports per iteration as secondary results
 * ({@code withNanos}, {@code withBoots}, {@code withoutNanos}, {@code withoutBoots}); the primary
 * score is the mean of both kinds of boot. Alternating, rather than two benchmarks run one after
 * the other, makes the two sides of the ratio share whatever else the machine was doing at the time.
 * {@code summarize.py} turns the counters into times and ratios per iteration, with their error.
 *
 * <p>Weld runs as the EE servers run it ({@code relaxed=false}) with discovery off, so the only bean
 * class is {@link Greeter} and the only extension is the one added here. Nothing connects at boot:
 * no server is needed.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(3)
@Warmup(iterations = 8, time = 1)
@Measurement(iterations = 6, time = 1)
public class WeldBootBenchmark {

    /** The one application bean: uses no Milvus connection. */
    @Dependent
    public static class Greeter {
        /** @return a greeting */
        public String greet() {
            return "hello";
        }
    }

    /** The boots of one iteration, by kind; JMH reports the fields as they are at its end. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class Boots {
        /** Time spent in boots with the extension. */
        public long withNanos;
        /** How many boots with the extension. */
        public long withBoots;
        /** Time spent in boots without it. */
        public long withoutNanos;
        /** How many boots without it. */
        public long withoutBoots;

        /** Starts each iteration from zero. */
        @Setup(Level.Iteration)
        public void reset() {
            withNanos = 0;
            withBoots = 0;
            withoutNanos = 0;
            withoutBoots = 0;
        }
    }

    /** How many aliases are configured under {@code milvus.connections.*}. */
    @Param({"0", "1", "10", "100"})
    public int aliases;

    private ClassLoader loader;
    private ConfigProviderResolver resolver;

    /**
     * Registers the configuration for the thread's class loader, as an application server does,
     * then boots each kind once to check that it is what it claims to be.
     */
    @Setup
    public void setUp() {
        BenchmarkSupport.quietLogging();
        loader = Thread.currentThread().getContextClassLoader();
        resolver = ConfigProviderResolver.instance();
        releaseConfig();
        Config config = BenchmarkSupport.config(BenchmarkSupport.aliasProperties(aliases));
        resolver.registerConfig(config, loader);
        check();
    }

    /** Releases the configuration. */
    @TearDown
    public void tearDown() {
        releaseConfig();
    }

    /**
     * Boots and shuts down Weld, with the extension on one call and without it on the next.
     *
     * @param boots where the time of each boot is added
     */
    @Benchmark
    public void alternating(Boots boots) {
        boolean withExtension = boots.withBoots <= boots.withoutBoots;
        long start = System.nanoTime();
        weld(withExtension).initialize().shutdown();
        long took = System.nanoTime() - start;
        if (withExtension) {
            boots.withNanos += took;
            boots.withBoots++;
        } else {
            boots.withoutNanos += took;
            boots.withoutBoots++;
        }
    }

    private Weld weld(boolean withExtension) {
        Weld weld = new Weld("bench-" + aliases)
                .disableDiscovery()
                .property("org.jboss.weld.construction.relaxed", false)
                .addBeanClasses(Greeter.class);
        if (withExtension) {
            weld.addExtension(new MilvusExtension());
        }
        return weld;
    }

    /** Fails the trial if the extension is missing where it should run, or present where it should not. */
    private void check() {
        WeldContainer with = weld(true).initialize();
        try {
            SortedMap<String, Boolean> known =
                    with.select(MilvusConnections.class).get().listConnections();
            Set<String> expected = new TreeSet<>(BenchmarkSupport.aliasNames(aliases));
            expected.add("default");
            if (!known.keySet().equals(expected) || known.containsValue(true)) {
                throw new IllegalStateException(
                        "with the extension, expected " + expected + " all unconnected, got " + known);
            }
        } finally {
            with.shutdown();
        }
        WeldContainer without = weld(false).initialize();
        try {
            if (without.select(MilvusConnections.class).isResolvable()) {
                throw new IllegalStateException("without the extension, MilvusConnections must not be a bean");
            }
            if (!"hello".equals(without.select(Greeter.class).get().greet())) {
                throw new IllegalStateException("the application bean does not work");
            }
        } finally {
            without.shutdown();
        }
    }

    private void releaseConfig() {
        try {
            resolver.releaseConfig(resolver.getConfig(loader));
        } catch (RuntimeException none) {
            // nothing registered
        }
    }
}
