package io.github.milvuscdi.internal.cdi;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.milvuscdi.MilvusConnectionException;
import io.github.milvuscdi.MilvusConnections;
import io.github.milvuscdi.harness.SilentListener;
import io.github.milvuscdi.internal.cdi.Containers.Path;
import io.github.milvuscdi.testing.Await;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import org.jboss.weld.environment.se.WeldContainer;
import org.junit.jupiter.api.Test;

/**
 * The application stops while eight aliases connect to a server that accepts TCP and never answers
 * (connect-timeout 30 s): stopping cancels the attempts and waits for them, so once its bound has
 * passed nothing of the library is left: no thread of ours or of gRPC's pools, no filter on the
 * server-wide frame logger, and every caller got its failure.
 */
class StopWhileConnectingTest {

    private static final int ALIASES = 8;
    /** Stopping waits at most 5 s for the attempts; gRPC ends its shared threads a second after its last channel. */
    private static final Duration AFTER_STOP = Duration.ofSeconds(10);

    @Test
    void stoppingCancelsTheAttemptsUnderWayAndLeavesNothingBehind() throws Exception {
        Set<Thread> before = Thread.getAllStackTraces().keySet();
        ExecutorService callers = Executors.newFixedThreadPool(ALIASES, task -> new Thread(task, "test-caller"));
        try (SilentListener hole = SilentListener.open();
                AutoCloseable config = Containers.useConfig(config(hole))) {
            WeldContainer container = Containers.boot(Path.PORTABLE);
            MilvusConnections connections =
                    container.select(MilvusConnections.class).get();
            List<CompletableFuture<Object>> attempts = new ArrayList<>();
            for (int i = 0; i < ALIASES; i++) {
                String alias = "hole" + i;
                attempts.add(CompletableFuture.supplyAsync(() -> connections.connect(alias), callers));
            }
            assertThat(hole.awaitAcceptedConnections(ALIASES, Duration.ofSeconds(20)))
                    .as("all %d aliases connecting", ALIASES)
                    .isTrue();
            // every attempt is under way, blocked on a server that never answers: stop now
            container.close();

            for (CompletableFuture<Object> attempt : attempts) {
                try {
                    attempt.get(AFTER_STOP.toMillis(), TimeUnit.MILLISECONDS);
                    throw new AssertionError("an attempt connected to a blackhole");
                } catch (ExecutionException failed) {
                    assertThat(failed.getCause()).isInstanceOf(MilvusConnectionException.class);
                }
            }
            // the last answer, in a failure, names the threads left
            assertThat(Await.until(() -> leftBehind(before), List::isEmpty, AFTER_STOP))
                    .as("threads of the library or gRPC left after stop")
                    .isEmpty();
            assertThat(Logger.getLogger("io.milvus.shaded.io.grpc.netty.shaded.io.grpc.netty.NettyClientHandler")
                            .getFilter())
                    .as("a filter on the server-wide frame logger")
                    .isNull();
        } finally {
            callers.shutdownNow();
        }
    }

    private static Map<String, String> config(SilentListener hole) {
        Map<String, String> config = new HashMap<>();
        for (int i = 0; i < ALIASES; i++) {
            config.put("milvus.connections.hole" + i + ".uri", hole.uri());
            config.put("milvus.connections.hole" + i + ".connect-timeout", "30s");
        }
        return config;
    }

    /** Threads started during the test by this library ({@code milvus-}) or by gRPC ({@code grpc-}), still alive. */
    private static List<String> leftBehind(Set<Thread> before) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> !before.contains(thread) && thread.isAlive())
                .map(Thread::getName)
                .filter(name -> name.startsWith("grpc-") || name.startsWith("milvus-"))
                .sorted()
                .collect(Collectors.toList());
    }
}
