package io.github.milvuscdi.benchmarks;

import io.github.milvuscdi.MilvusConnections;
import io.github.milvuscdi.launcher.MilvusLiteServer;
import io.milvus.v2.client.ConnectConfig;
import io.milvus.v2.client.MilvusClientV2;
import java.util.Map;
import java.util.concurrent.TimeUnit;
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
 * Issue 2: what the {@link MilvusConnections} registry adds to the first use of a connection,
 * against a real milvus-lite on loopback.
 *
 * <p>A connection is opened and closed either through a new registry
 * ({@code connect("a", Map.of("uri", …))}, then {@code close()}), or by hand
 * ({@code new MilvusClientV2(…)}, then {@code close(1)}). Both wait for the SDK's {@code Connect}
 * RPC; neither sets a database, so neither calls {@code ListDatabases}.
 *
 * <ul>
 *   <li>{@code alternating}: in a warmed JVM, one way on one call and the other way on the next,
 *       each timed on its own and added to {@link Connects}, which JMH reports per iteration as
 *       secondary results; the primary score is the mean of both. Alternating makes both share
 *       whatever else the machine was doing at the time.</li>
 *   <li>{@code registryCold}/{@code byHandCold}: the first connection of a fresh JVM, once per fork.
 *       Starting the server already made one SDK client (it waits for a real RPC), so the SDK and
 *       gRPC classes are loaded in both; what stays cold is the code path measured, ours included.</li>
 * </ul>
 *
 * <p>The server is started once per trial (per fork) and closed in the tear-down.
 */
@State(Scope.Benchmark)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class FirstUseBenchmark {

    private static final String ALIAS = "a";

    /** The connections of one iteration, by way; JMH reports the fields as they are at its end. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class Connects {
        /** Time spent connecting and closing through the registry. */
        public long registryNanos;
        /** How many connections through the registry. */
        public long registryConnects;
        /** Time spent connecting and closing by hand. */
        public long byHandNanos;
        /** How many connections by hand. */
        public long byHandConnects;

        /** Starts each iteration from zero. */
        @Setup(Level.Iteration)
        public void reset() {
            registryNanos = 0;
            registryConnects = 0;
            byHandNanos = 0;
            byHandConnects = 0;
        }
    }

    private MilvusLiteServer server;
    private Map<String, String> keys;

    /** Starts milvus-lite; installs it into the shared cache first if needed. */
    @Setup(Level.Trial)
    public void startServer() {
        BenchmarkSupport.quietLogging();
        server = MilvusLiteServer.start("bench");
        keys = Map.of("uri", server.uri());
    }

    /** Stops milvus-lite. */
    @TearDown(Level.Trial)
    public void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    /**
     * Connects and closes, through the registry on one call and by hand on the next.
     *
     * @param connects where the time of each connection is added
     * @return the client, closed; consumed by JMH
     * @throws InterruptedException when interrupted while closing
     */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @Fork(3)
    @Warmup(iterations = 3, time = 2)
    @Measurement(iterations = 5, time = 2)
    public MilvusClientV2 alternating(Connects connects) throws InterruptedException {
        boolean registry = connects.registryConnects <= connects.byHandConnects;
        long start = System.nanoTime();
        MilvusClientV2 client = registry ? throughRegistry() : byHandClient();
        long took = System.nanoTime() - start;
        if (registry) {
            connects.registryNanos += took;
            connects.registryConnects++;
        } else {
            connects.byHandNanos += took;
            connects.byHandConnects++;
        }
        return client;
    }

    /** @return the client, closed; consumed by JMH */
    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @Fork(10)
    @Warmup(iterations = 0)
    @Measurement(iterations = 1)
    public MilvusClientV2 registryCold() {
        return throughRegistry();
    }

    /**
     * @return the client, closed; consumed by JMH
     * @throws InterruptedException when interrupted while closing
     */
    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @Fork(10)
    @Warmup(iterations = 0)
    @Measurement(iterations = 1)
    public MilvusClientV2 byHandCold() throws InterruptedException {
        return byHandClient();
    }

    private MilvusClientV2 throughRegistry() {
        MilvusConnections connections = MilvusConnections.create();
        try {
            return connections.connect(ALIAS, keys);
        } finally {
            connections.close();
        }
    }

    private MilvusClientV2 byHandClient() throws InterruptedException {
        MilvusClientV2 client =
                new MilvusClientV2(ConnectConfig.builder().uri(server.uri()).build());
        client.close(1);
        return client;
    }
}
