package io.github.milvuscdi.harness;

import io.github.milvuscdi.testing.Await;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * An application server run by a test as a process of its own (Payara Micro, Open Liberty, a
 * Helidon application…): its log, bounded waits on what the log says, HTTP calls to it, and a stop
 * as an orchestrator does it (SIGTERM, then SIGKILL after a bound).
 *
 * <pre>{@code
 * AppServerProcess payara = AppServerProcess.start("Payara Micro", new ProcessBuilder(command), Map.of(),
 *         dir.resolve("server.log"), port);
 * payara.awaitLog(log -> log.contains("ready in"), "Payara ready", Duration.ofMinutes(5));
 * HttpResponse<String> ready = payara.get("/health/ready");
 * payara.stop(Duration.ofSeconds(60));
 * }</pre>
 *
 * <p>Standard output and error go to one console file. Not thread-safe.
 */
public final class AppServerProcess implements AutoCloseable {

    private static final int TAIL_LINES = 30;
    private static final Duration KILL_WAIT = Duration.ofSeconds(10);
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(60);

    private final String name;
    private final Process process;
    private final Path console;
    private final int port;
    private Path log;
    private Function<String, String> cleanLog = Function.identity();
    private Supplier<String> diagnosis = () -> "";
    // HTTP/1.1: the JDK client otherwise asks for an h2c upgrade, which Open Liberty 26 answered
    // to parallel requests by leaving its request threads waiting in its HTTP/2 writer
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    private AppServerProcess(String name, Process process, Path console, int port) {
        this.name = name;
        this.process = process;
        this.console = console;
        this.log = console;
        this.port = port;
    }

    /**
     * Starts a server.
     *
     * @param name the server, in messages ("Payara Micro")
     * @param builder the command and directory; output is redirected here
     * @param environment added to the process's environment, which otherwise has no {@code MILVUS_*} variable
     * @param console where standard output and error go
     * @param port the HTTP port it serves on loopback
     * @return the running process; returns at once
     */
    public static AppServerProcess start(
            String name, ProcessBuilder builder, java.util.Map<String, String> environment, Path console, int port) {
        builder.environment().keySet().removeIf(variable -> variable.startsWith("MILVUS_"));
        builder.environment().putAll(environment);
        try {
            Files.createDirectories(console.toAbsolutePath().getParent());
            Process process = builder.redirectErrorStream(true)
                    .redirectOutput(console.toFile())
                    .start();
            process.getOutputStream().close();
            return new AppServerProcess(name, process, console, port);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start " + name + ": " + String.join(" ", builder.command()), e);
        }
    }

    /**
     * Reads the server's log from another file than its console (Open Liberty's {@code messages.log}).
     *
     * @param file the log file; the console is still quoted when it is empty
     * @return this
     */
    public AppServerProcess logIn(Path file) {
        this.log = file;
        return this;
    }

    /**
     * Cleans each read of the log (Payara's console adds ANSI colours).
     *
     * @param clean applied to the log's text
     * @return this
     */
    public AppServerProcess cleaningLog(Function<String, String> clean) {
        this.cleanLog = clean;
        return this;
    }

    /**
     * Adds something to the message of a wait that timed out or a stop that had to kill (a thread dump).
     *
     * @param diagnosis says where to look; must not throw
     * @return this
     */
    public AppServerProcess diagnosedBy(Supplier<String> diagnosis) {
        this.diagnosis = diagnosis;
        return this;
    }

    /**
     * Waits until the whole log passes {@code test}.
     *
     * @param test may throw an {@link AssertionError} to fail at once (an application that failed to start)
     * @param what the awaited state, for the failure
     * @param timeout the bound
     * @return the log at that moment
     * @throws AssertionError when the process exits first or the time is up, quoting the log's end
     */
    public String awaitLog(Predicate<String> test, String what, Duration timeout) {
        String text = Await.last(this::log, current -> test.test(current) || !process.isAlive(), timeout);
        if (test.test(text)) {
            return text;
        }
        if (!process.isAlive()) {
            throw new AssertionError(
                    name + " exited with code " + process.exitValue() + " before " + what + "; " + tail());
        }
        throw new AssertionError(name + "'s log never showed " + what + " within " + timeout.toSeconds() + " s; "
                + diagnosis.get() + "; " + tail());
    }

    /**
     * Waits until the process has exited by itself (a start that must fail).
     *
     * @return the exit code
     * @throws AssertionError when it still runs when the time is up
     */
    public int awaitExit(Duration timeout) {
        if (!waitFor(timeout)) {
            throw new AssertionError(name + " still runs after " + timeout.toSeconds() + " s; " + tail());
        }
        return process.exitValue();
    }

    /**
     * Stops the server as an orchestrator does, with SIGTERM, and waits for it to exit.
     *
     * @return the exit code
     * @throws AssertionError when it has not exited within {@code timeout} (it is then killed)
     */
    public int stop(Duration timeout) {
        process.destroy();
        if (!waitFor(timeout)) {
            String found = diagnosis.get();
            close();
            throw new AssertionError(name + " did not stop within " + timeout.toSeconds()
                    + " s of SIGTERM and was killed; " + found + "; " + tail());
        }
        return process.exitValue();
    }

    /** Kills the server if it still runs, waiting a bounded time; for clean-up after a failure. */
    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            waitFor(KILL_WAIT);
        }
    }

    /** GET {@code path}, with a 60 s deadline. */
    public HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(uri(path)).GET());
    }

    /** {@code method} {@code path} with a JSON body, with a 60 s deadline. */
    public HttpResponse<String> send(String method, String path, String json) {
        return send(HttpRequest.newBuilder(uri(path))
                .header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(json)));
    }

    /** @return the HTTP client calls go through, for what {@link #get} and {@link #send} do not cover */
    public HttpClient http() {
        return http;
    }

    /** @return {@code http://127.0.0.1:<port><path>} */
    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    /** @return the process's id */
    public long pid() {
        return process.pid();
    }

    /** @return whether the process runs */
    public boolean isAlive() {
        return process.isAlive();
    }

    /** @return the log file */
    public Path logFile() {
        return log;
    }

    /** @return the log so far, cleaned; empty before the server wrote it */
    public String log() {
        return cleanLog.apply(read(log));
    }

    /** @return where to look and the log's last lines (the console's, while the log is empty) */
    public String tail() {
        List<String> lines = log().lines().filter(line -> !line.isBlank()).toList();
        if (lines.isEmpty()) {
            lines = read(console).lines().filter(line -> !line.isBlank()).toList();
        }
        return "see " + log + (log.equals(console) ? "" : " and " + console) + ". Last lines:\n    "
                + String.join("\n    ", lines.subList(Math.max(0, lines.size() - TAIL_LINES), lines.size()));
    }

    /**
     * A loopback port free now.
     *
     * @return the port
     */
    public static int freeLoopbackPort() {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("No free loopback port", e);
        }
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(
                    request.timeout(CALL_TIMEOUT).build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while calling " + name, e);
        }
    }

    private boolean waitFor(Duration bound) {
        try {
            return process.waitFor(bound.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new IllegalStateException("Interrupted while waiting for " + name, e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        }
    }
}
