package io.github.milvuscdi.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What {@link MilvusLiteServer} and {@link MilvusServer} do alike: a server process started by a
 * command into a folder of its own ({@code target/<kind>/<name>-<port>/}: {@code server.log},
 * {@code data/}), waited for, bounded, until it answers a real RPC, stopped and restarted on the same
 * port and data, and closed once. The subclasses say how to run and to ask their kind of server.
 *
 * <p>Thread-safe: {@link #stop()}, {@link #restart()} and {@link #close()} are serialized.
 */
abstract class LaunchedServer implements MilvusTestServer {

    static final String HOST = "127.0.0.1";
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    final Logger log = LoggerFactory.getLogger(getClass());
    final String name;
    final Path directory;
    final Path dataDir;
    final Path logFile;
    volatile Process process;
    private volatile boolean closed;

    /**
     * @param name checked with {@link #requireName}
     * @param folder the folder under {@code target/} for this kind of server
     * @param port the port clients connect to, which names the server's folder
     */
    LaunchedServer(String name, String folder, int port) {
        this.name = name;
        this.directory = Paths.get("target", folder, name + "-" + port).toAbsolutePath();
        this.dataDir = directory.resolve("data");
        this.logFile = directory.resolve("server.log");
    }

    /** @throws IllegalArgumentException when {@code name} cannot name a folder */
    static void requireName(String name) {
        Objects.requireNonNull(name, "name");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("The server name '" + name + "' cannot name a folder; use 1 to 64"
                    + " letters, digits, '.', '_' or '-', starting with a letter or digit, such as 'search'");
        }
    }

    // ------------------------------------------------------------------ what each kind says

    /** @return the kind of server, in messages ("milvus-lite") */
    abstract String kind();

    /** @return whether the server speaks TLS */
    abstract boolean tls();

    /** @return the command line that starts the server; logged, so it never holds a secret */
    abstract List<String> commandLine();

    /** Adds to the server's environment (the launcher's options: secrets travel there, not on the command line). */
    abstract void environment(Map<String, String> environment);

    /** @return whether the server's standard input stays open (a launcher that stops when it closes) */
    abstract boolean keepsStandardInput();

    /** Asks the server once for its version; throws while it is not ready. */
    abstract String askVersion();

    /** @return how long a start may take */
    abstract Duration readyTimeout();

    /** @return how long a stop waits after SIGTERM before killing */
    abstract Duration stopGrace();

    /** @return how long a restart retries while the port may linger after the old process */
    abstract Duration rebindWindow();

    /** @return what to do when the command cannot run ("Delete the folder … so that it is installed again") */
    abstract String reinstallHint();

    /** @return what to say of the running server besides its version ("milvus-lite 3.2.2") */
    abstract String readyDetails();

    /** Gives the server's ports back, when it is closed. */
    abstract void releasePorts();

    // ------------------------------------------------------------------ the common part

    /** The name given to {@code start}. */
    @Override
    public String name() {
        return name;
    }

    /** The host the server listens on for clients: always {@code 127.0.0.1}. */
    @Override
    public String host() {
        return HOST;
    }

    /** {@code host:port}, such as {@code 127.0.0.1:41234}, for the {@code address} configuration key. */
    @Override
    public String address() {
        return HOST + ":" + port();
    }

    /** {@code http://host:port}, or {@code https://host:port} when the server speaks TLS. */
    @Override
    public String uri() {
        return (tls() ? "https://" : "http://") + address();
    }

    /**
     * The server's standard output and error, appended across restarts; each start is headed by a
     * line beginning with {@code --- milvus-cdi:}. The first place to look when a test fails.
     */
    @Override
    public Path logFile() {
        return logFile;
    }

    /** The folder holding the server's data; kept across {@link #stop()} and {@link #restart()}. */
    @Override
    public Path dataDir() {
        return dataDir;
    }

    /** Whether the server process is alive (it may still be starting if called from another thread). */
    @Override
    public boolean isRunning() {
        Process current = process;
        return current != null && current.isAlive();
    }

    /**
     * Stops the server: SIGTERM, then a kill after the kind's grace, its child processes included. The
     * port stays reserved for {@link #restart()} and the data stays on disk. Does nothing when already
     * stopped.
     */
    @Override
    public synchronized void stop() {
        Process current = process;
        if (current == null) {
            return;
        }
        beforeStop();
        process = null;
        long started = System.nanoTime();
        ProcessTermination.terminate(current, stopGrace());
        log.info(
                "Stopped {} in {} ms (exit code {})",
                this,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started),
                current.isAlive() ? "none, still alive" : current.exitValue());
    }

    /** Called by {@link #stop()} while the process still runs (a frozen server is resumed first). */
    void beforeStop() {}

    /**
     * Starts the server again, on the same port with the same data, and waits until it answers an
     * RPC; stops it first if it is running. Retries while the port may linger ({@link #rebindWindow()}).
     *
     * @throws IllegalStateException when the server was closed, or does not come back; the message
     *     names the log file and quotes its end
     */
    @Override
    public synchronized void restart() {
        if (closed) {
            throw new IllegalStateException(this + " is closed; start a new one with "
                    + getClass().getSimpleName() + ".start(\"" + name + "\")");
        }
        stop();
        ExitedEarly[] last = {null};
        boolean started = Polling.last(
                () -> {
                    try {
                        launchAndAwaitReady("restarting");
                        return true;
                    } catch (ExitedEarly e) {
                        last[0] = e;
                        return false;
                    }
                },
                Boolean::booleanValue,
                rebindWindow());
        if (!started) {
            throw new IllegalStateException(
                    name + ": " + kind() + " could not start again on " + address()
                            + " within " + rebindWindow().toSeconds() + " s (is another process using the port?). "
                            + last[0].getMessage(),
                    last[0]);
        }
    }

    /** Stops the server and gives its ports back. Idempotent; the server cannot be restarted afterwards. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            stop();
        } finally {
            releasePorts();
        }
    }

    /** Starts on an empty data folder; closes the server when that fails. */
    final void startFreshOrClose() {
        try {
            synchronized (this) {
                Folders.deleteRecursively(directory);
                Files.createDirectories(dataDir);
                launchAndAwaitReady("starting");
            }
        } catch (IOException e) {
            close();
            throw new UncheckedIOException(
                    "Cannot prepare " + directory + " for " + kind() + " '" + name + "': " + e.getMessage()
                            + "; make the working directory writable",
                    e);
        } catch (RuntimeException | Error e) {
            close();
            throw e;
        }
    }

    private void launchAndAwaitReady(String verb) {
        long started = System.nanoTime();
        Process launched = launch(verb);
        process = launched;
        String version;
        try {
            version = ServerReadiness.awaitAnswer(
                    name + ": " + kind(),
                    launched,
                    port(),
                    logFile,
                    readyTimeout(),
                    this::askVersion,
                    ExitedEarly::new);
        } catch (RuntimeException | Error e) {
            process = null;
            ProcessTermination.terminate(launched, stopGrace());
            throw e;
        }
        log.info(
                "{} is ready ({}, server version {}) after {} ms; log: {}",
                this,
                readyDetails(),
                version,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started),
                logFile);
    }

    private Process launch(String verb) {
        List<String> commandLine = commandLine();
        try {
            Files.writeString(
                    logFile,
                    "--- milvus-cdi: " + Instant.now() + " " + verb + ": " + String.join(" ", commandLine)
                            + System.lineSeparator(),
                    StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
            ProcessBuilder builder = new ProcessBuilder(commandLine)
                    .directory(directory.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
            builder.environment().put("PYTHONUNBUFFERED", "1");
            environment(builder.environment());
            Process started = builder.start();
            ProcessTermination.endOnJvmExit(started);
            if (!keepsStandardInput()) {
                started.getOutputStream().close();
            }
            return started;
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "Cannot run " + commandLine.get(0) + " for " + this + ": " + e.getMessage() + ". "
                            + reinstallHint(),
                    e);
        }
    }

    /** The process ended before it answered: on restart, worth another try while the port may linger. */
    static final class ExitedEarly extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        ExitedEarly(String message) {
            super(message);
        }
    }

    /**
     * Copies a launcher script of this module into a folder, where the command line names it.
     *
     * @param launcher the resource's name, beside this class
     * @param directory the folder
     * @return the script's path
     */
    static Path writeLauncher(String launcher, Path directory) {
        Path target = directory.resolve(launcher);
        try (InputStream in = LaunchedServer.class.getResourceAsStream(launcher)) {
            if (in == null) {
                throw new IllegalStateException("The resource io/github/milvuscdi/launcher/" + launcher
                        + " is missing from milvus-cdi-launcher; rebuild the launcher module");
            }
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + target + ": " + e.getMessage(), e);
        }
    }
}
