package io.github.milvuscdi.internal.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.milvuscdi.MilvusConnectionException;
import io.github.milvuscdi.harness.SilentListener;
import io.github.milvuscdi.internal.config.ConnectionSettings;
import io.github.milvuscdi.internal.config.ConnectionSettingsReader;
import io.github.milvuscdi.testing.Await;
import io.github.milvuscdi.testing.TestCertificates;
import io.milvus.v2.client.MilvusClientV2;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SDK builds a client's channel only after the connect's bound (twice {@code connect-timeout}) has
 * passed, as on a loaded machine where the first connect loads gRPC, Netty and TLS: the close the bound
 * made while there was no channel yet ends that channel as it is built. It never reaches the server, the
 * attempt fails at once with the bound's message, and no gRPC thread is left. (Before, the late channel
 * connected and the SDK waited in its {@code Connect} for another {@code connect-timeout}; with a
 * {@code db-name}, in its database check, for ever.)
 *
 * <p>The delay: the trusted certificate the application gives the SDK is a named pipe, which the SDK's
 * read waits on until the test writes the certificate into it. The server accepts TCP and never answers.
 */
class ChannelBuiltAfterTheBoundTest {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(1);
    private static final Duration BOUND = CONNECT_TIMEOUT.multipliedBy(2);

    @TempDir
    Path directory;

    @Test
    void aChannelBuiltAfterTheBoundIsEndedBeforeItConnects() throws Exception {
        Set<Thread> before = Set.copyOf(Thread.getAllStackTraces().keySet());
        TestCertificates certificates = TestCertificates.generate(directory.resolve("certificates"));
        Path pipe = namedPipe(directory.resolve("trusted.pem"));
        SdkClientFactory factory = new SdkClientFactory((alias, builder) ->
                builder.secure(true).serverPemPath(pipe.toString()).serverName("localhost"));
        ExecutorService caller = Executors.newSingleThreadExecutor(task -> new Thread(task, "test-caller"));
        try (SilentListener hole = SilentListener.open()) {
            ConnectionSettings settings = new ConnectionSettingsReader()
                    .read("late", Map.of("uri", hole.uri(), "connect-timeout", CONNECT_TIMEOUT.toMillis() + "ms"));
            long started = System.nanoTime();
            Future<MilvusClientV2> attempt = caller.submit(() -> factory.open(settings));
            // the bound passes, twice over, while the SDK waits for its trusted certificate
            Await.until(
                    () -> System.nanoTime() - started > 2 * BOUND.toNanos(), BOUND.multipliedBy(4), "the bound passed");
            assertThat(attempt.isDone())
                    .as("the attempt still reading its certificate")
                    .isFalse();
            // blocks until the SDK opens the pipe: it is waiting on it already
            Files.write(pipe, Files.readAllBytes(certificates.caPem()), StandardOpenOption.WRITE);

            assertThatThrownBy(() -> attempt.get(30, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .cause()
                    .isInstanceOf(MilvusConnectionException.class)
                    .hasMessageContaining("gave no answer within " + BOUND.toMillis() + " ms (twice connect-timeout)");
            assertThat(hole.acceptedConnections())
                    .as("connections the channel built after the bound made to the server")
                    .isZero();
            assertThat(Await.until(() -> leftBehind(before), List::isEmpty, Duration.ofSeconds(10)))
                    .as("gRPC threads left")
                    .isEmpty();
        } finally {
            caller.shutdownNow();
            factory.stopOpening();
            factory.closedAll();
        }
    }

    private static Path namedPipe(Path path) throws IOException, InterruptedException {
        Process mkfifo = new ProcessBuilder("mkfifo", path.toString())
                .redirectErrorStream(true)
                .start();
        assertThat(mkfifo.waitFor(30, TimeUnit.SECONDS) && mkfifo.exitValue() == 0)
                .as("mkfifo (coreutils) made a named pipe at %s", path)
                .isTrue();
        return path;
    }

    /** gRPC's threads ({@code grpc-}) started during the test and still alive. */
    private static List<String> leftBehind(Set<Thread> before) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> !before.contains(thread) && thread.isAlive())
                .map(Thread::getName)
                .filter(name -> name.startsWith("grpc-"))
                .sorted()
                .collect(Collectors.toList());
    }
}
