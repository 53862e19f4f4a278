package io.github.milvuscdi.it.quarkus;

import io.github.milvuscdi.testing.Await;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The packaged application ({@code target/quarkus-app/quarkus-run.jar}) run as its users run it:
 * {@code java -jar}, configured by environment variables only, stopped with SIGTERM. Its output
 * goes to a log file, which tests read.
 */
final class PackagedApplication implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    private final Process process;
    private final Path log;
    private final int port;

    private PackagedApplication(Process process, Path log, int port) {
        this.process = process;
        this.log = log;
        this.port = port;
    }

    /**
     * Starts this module's application with these environment variables (plus
     * {@code QUARKUS_HTTP_PORT}, a free port) and none of the Milvus ones this JVM may have, and
     * waits until it listens.
     *
     * @param name names the log file, {@code target/<name>.log}
     */
    static PackagedApplication start(String name, Map<String, String> environment) throws IOException {
        Path jar = Paths.get(System.getProperty("it.quarkus.app", "target/quarkus-app/quarkus-run.jar"));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: run this test with failsafe after "
                    + "the package phase (./mvnw -pl it-quarkus verify)");
        }
        return start(name, jar, environment, "Listening on");
    }

    /**
     * Starts a packaged Quarkus application, as {@link #start(String, Map)} does, and waits until
     * its log holds {@code startedLine}.
     */
    static PackagedApplication start(String name, Path jar, Map<String, String> environment, String startedLine)
            throws IOException {
        Path log = Paths.get("target", name + ".log").toAbsolutePath();
        int port = freePort();
        ProcessBuilder builder = new ProcessBuilder(List.of(
                        Paths.get(System.getProperty("java.home"), "bin", "java")
                                .toString(),
                        "-jar",
                        jar.toAbsolutePath().toString()))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().keySet().removeIf(key -> key.startsWith("MILVUS_") || key.startsWith("QUARKUS_"));
        builder.environment().putAll(environment);
        builder.environment().put("QUARKUS_HTTP_PORT", Integer.toString(port));
        Process process = builder.start();
        process.getOutputStream().close();
        PackagedApplication application = new PackagedApplication(process, log, port);
        application.awaitLog(startedLine, START_TIMEOUT);
        return application;
    }

    /** The application's base URL, such as {@code http://localhost:41234}. */
    String url() {
        return "http://localhost:" + port;
    }

    /** Everything the application printed so far. */
    String log() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sends SIGTERM, as an orchestrator does, and waits until the JVM has exited. */
    void stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("The application did not stop within " + STOP_TIMEOUT.toSeconds()
                    + " s of SIGTERM; log: " + log + System.lineSeparator() + log());
        }
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }

    private void awaitLog(String line, Duration timeout) {
        try {
            Await.until(
                    () -> log().contains(line) || !process.isAlive(),
                    timeout,
                    "the application printing '" + line + "'");
        } catch (AssertionError late) {
            close();
            throw new AssertionError(
                    "The application did not print '" + line + "' within " + timeout.toSeconds() + " s; log: " + log
                            + System.lineSeparator() + log(),
                    late);
        }
        if (!log().contains(line)) {
            throw new AssertionError("The application exited with code " + process.exitValue() + " before printing '"
                    + line + "'; log: " + log + System.lineSeparator() + log());
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
