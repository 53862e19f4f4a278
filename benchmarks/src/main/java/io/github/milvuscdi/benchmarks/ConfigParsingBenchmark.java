package io.github.milvuscdi.benchmarks;

import io.github.milvuscdi.internal.config.ConnectionSettings;
import io.github.milvuscdi.internal.config.MilvusConfiguration;
import java.util.Map;
import java.util.SortedSet;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.Config;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Issue 2: the time to parse and validate the configuration of 1, 10 and 100 aliases, as the
 * extension does once at deployment ({@code AfterDeploymentValidation}).
 *
 * <p>Each alias has four keys ({@code uri}, {@code token}, {@code db-name}, {@code connect-timeout});
 * the SmallRye Config holding them is built once per trial, so what is measured is
 * {@link MilvusConfiguration#read} alone, including its reads through {@code Config}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(2)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class ConfigParsingBenchmark {

    /** How many aliases are configured and read. */
    @Param({"1", "10", "100"})
    public int aliases;

    private Config config;
    private SortedSet<String> names;

    /** Builds the configuration and checks that every alias reads without a problem. */
    @Setup
    public void setUp() {
        BenchmarkSupport.quietLogging();
        config = BenchmarkSupport.config(BenchmarkSupport.aliasProperties(aliases));
        names = BenchmarkSupport.aliasNames(aliases);
        Map<String, ConnectionSettings> read = readAll();
        if (!read.keySet().equals(names)) {
            throw new IllegalStateException("expected settings for " + names + ", got " + read.keySet());
        }
    }

    /** @return the settings, consumed by JMH */
    @Benchmark
    public Map<String, ConnectionSettings> readAll() {
        MilvusConfiguration read = MilvusConfiguration.read(config, names);
        Map<String, ConnectionSettings> settings = new java.util.TreeMap<>();
        for (String alias : read.aliases()) {
            settings.put(alias, read.settings(alias).orElseThrow());
        }
        return settings;
    }
}
