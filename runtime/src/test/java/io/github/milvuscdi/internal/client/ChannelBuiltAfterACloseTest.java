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
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SDK builds a client's channel only after the connect was closed, as on a loaded machine where
 * the first connect loads gRPC, Netty and TLS: by its bound (twice {@code connect-timeout}), or by the
 * application stopping. The close found no channel yet; the channel is ended as it is built, never
 * reaches the server, the attempt fails at once and no gRPC thread is left. (Before, the late channel
 * connected and the SDK waited in its {@code Connect} for a whole {@code connect-timeout}; with a
 * {@code db-name}, in its database check, for ever.)
 *
 * <p>The delay: the trusted certificate the application gives the SDK is a named pipe, which the SDK's
 * read waits on until the test writes the certificate into it. The server accepts TCP and never answers.
 */
class ChannelBuiltAfterACloseTest {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(1);
    private static final Duration BOUND = CONNECT_TIMEOUT.multipliedBy(2);

    @TempDir
    Path directory;

    private final Set<Thread> before = Set.copyOf(Thread.getAllStackTraces().keySet());
    private final AtomicReference<Thread> caller = new AtomicReference<>();
    private final ExecutorService callers = Executors.newSingleThreadExecutor(task -> {
        Thread thread = new Thread(task, "test-caller");
        caller.set(thread);
        return thread;
    });

    @Test
    void aChannelBuiltAfterTheBoundIsEndedBeforeItConnects() throws Exception {
        Path pipe = namedPipe();
        SdkClientFactory factory = trustingThePipe(pipe);
        try (SilentListener hole = SilentListener.open()) {
            long started = System.nanoTime();
            Future<MilvusClientV2> attempt = callers.submit(() -> factory.open(settings(hole, CONNECT_TIMEOUT)));
            // the bound passes, twice over, while the SDK waits for its trusted certificate
            Await.until(
                    () -> System.nanoTime() - started > 2 * BOUND.toNanos(), BOUND.multipliedBy(4), "the bound passed");
            assertThat(attempt.isDone())
                    .as("the attempt still reading its certificate")
                    .isFalse();
            giveCertificate(pipe);

            assertThatThrownBy(() -> attempt.get(30, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .cause()
                    .isInstanceOf(MilvusConnectionException.class)
                    .hasMessageContaining("gave no answer within " + BOUND.toMillis() + " ms (twice connect-timeout)");
            assertNothingReachedTheServerOrWasLeft(hole);
        } finally {
            callers.shutdownNow();
            factory.stopOpening();
            factory.closedAll();
        }
    }

    @Test
    void aChannelBuiltAfterTheApplicationStoppedIsEndedBeforeItConnects() throws Exception {
        Path pipe = namedPipe();
        SdkClientFactory factory = trustingThePipe(pipe);
        Thread stopping = new Thread(factory::stopOpening, "test-stopping");
        try (SilentListener hole = SilentListener.open()) {
            // connect-timeout 30 s: only the stop can end this attempt soon
            Future<MilvusClientV2> attempt = callers.submit(() -> factory.open(settings(hole, Duration.ofSeconds(30))));
            Await.until(() -> buildingItsChannel(caller.get()), Duration.ofSeconds(30), "the SDK building its channel");
            stopping.start();
            // waiting for the attempts under way: it has told their channels to close, and found none
            Await.until(
                    () -> stopping.getState() == Thread.State.TIMED_WAITING,
                    Duration.ofSeconds(30),
                    "the stop waiting for the attempt");
            giveCertificate(pipe);

            assertThatThrownBy(() -> attempt.get(Openings.STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .cause()
                    .isInstanceOf(MilvusConnectionException.class);
            stopping.join(Openings.STOP_WAIT.multipliedBy(2).toMillis());
            assertNothingReachedTheServerOrWasLeft(hole);
        } finally {
            callers.shutdownNow();
            factory.closedAll();
        }
    }

    private void assertNothingReachedTheServerOrWasLeft(SilentListener hole) {
        assertThat(hole.acceptedConnections())
                .as("connections the channel built after the close made to the server")
                .isZero();
        assertThat(Await.until(this::grpcThreadsLeft, List::isEmpty, Duration.ofSeconds(10)))
                .as("gRPC threads left")
                .isEmpty();
    }

    private static SdkClientFactory trustingThePipe(Path pipe) {
        return new SdkClientFactory((alias, builder) ->
                builder.secure(true).serverPemPath(pipe.toString()).serverName("localhost"));
    }

    private static ConnectionSettings settings(SilentListener hole, Duration connectTimeout) {
        return new ConnectionSettingsReader()
                .read("late", Map.of("uri", hole.uri(), "connect-timeout", connectTimeout.toMillis() + "ms"));
    }

    private static boolean buildingItsChannel(Thread thread) {
        return thread != null
                && Arrays.stream(thread.getStackTrace())
                        .anyMatch(frame -> frame.getClassName().equals("io.milvus.v2.utils.ClientUtils")
                                && frame.getMethodName().equals("getChannel"));
    }

    /** Writes a certificate into the pipe; blocks until the SDK opens it, which it is waiting to do. */
    private void giveCertificate(Path pipe) throws IOException {
        TestCertificates certificates = TestCertificates.generate(directory.resolve("certificates"));
        Files.write(pipe, Files.readAllBytes(certificates.caPem()), StandardOpenOption.WRITE);
    }

    private Path namedPipe() throws IOException, InterruptedException {
        Path path = directory.resolve("trusted.pem");
        Process mkfifo = new ProcessBuilder("mkfifo", path.toString())
                .redirectErrorStream(true)
                .start();
        assertThat(mkfifo.waitFor(30, TimeUnit.SECONDS) && mkfifo.exitValue() == 0)
                .as("mkfifo (coreutils) made a named pipe at %s", path)
                .isTrue();
        return path;
    }

    /** gRPC's threads ({@code grpc-}) started during the test and still alive. */
    private List<String> grpcThreadsLeft() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> !before.contains(thread) && thread.isAlive())
                .map(Thread::getName)
                .filter(name -> name.startsWith("grpc-"))
                .sorted()
                .collect(Collectors.toList());
    }
}
