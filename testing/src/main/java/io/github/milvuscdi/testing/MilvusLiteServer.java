package io.github.milvuscdi.testing;

import io.milvus.v2.client.ConnectConfig;
import io.milvus.v2.client.MilvusClientV2;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Milvus for tests: a {@code milvus-lite server} process on a free loopback port.
 *
 * <pre>{@code
 * try (MilvusLiteServer milvus = MilvusLiteServer.start("search")) {
 *     MilvusClientV2 client = new MilvusClientV2(ConnectConfig.builder().uri(milvus.uri()).build());
 *     ...
 *     client.close(1);
 * }
 * }</pre>
 *
 * <p>{@link #start(String)} installs milvus-lite the first time (see {@code README.md}: Python 3.10+
 * with venv and pip, and network access to PyPI on the first run), then returns only once the
 * server answers a real RPC. Files live under {@code target/milvus-lite/<name>-<port>/} relative to
 * the working directory: {@code server.log} and {@code data/}. Each start begins with empty data.
 *
 * <p>A server can also be served over TLS or mutual TLS and enforce credentials, as a production
 * Milvus does, with {@link #start(String, MilvusLiteOptions)}:
 * <pre>{@code
 * TestCertificates certs = TestCertificates.generate();
 * try (MilvusLiteServer milvus = MilvusLiteServer.start("secured",
 *         MilvusLiteOptions.plaintext().tls(certs).credentials("root", "Milvus"))) {
 *     // milvus.uri() is https://127.0.0.1:<port>; trust certs.caPem(), send root:Milvus
 * }
 * }</pre>
 *
 * <p>For fault tests a server can be {@link #stop() stopped} and {@link #restart() restarted}: it
 * keeps its port and its data. The process is also ended when the JVM exits, so a crashed test run
 * leaves none behind. JUnit 5 tests usually get one through {@link MilvusLiteExtension}.
 *
 * <p>Thread-safe: {@link #stop()}, {@link #restart()} and {@link #close()} are serialized.
 */
public final class MilvusLiteServer implements MilvusTestServer {

    private static final Logger LOG = LoggerFactory.getLogger(MilvusLiteServer.class);

    private static final String HOST = "127.0.0.1";
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration STOP_GRACE = Duration.ofSeconds(5);
    private static final Duration REBIND_WINDOW = Duration.ofSeconds(10);
    private static final String LAUNCHER = "secured_server.py";
    private static final String LAUNCHER_OPTIONS_ENV = "MILVUS_CDI_SERVER_OPTIONS";

    private final String name;
    private final Path command;
    private final Path python;
    private final MilvusLiteOptions options;
    private final PinnedVersions versions;
    private final PortReservation reservation;
    private final Path directory;
    private final Path dataDir;
    private final Path logFile;

    private volatile Process process;
    private volatile boolean closed;

    private MilvusLiteServer(String name, Path command, Path python, MilvusLiteOptions options,
            PinnedVersions versions, PortReservation reservation) {
        this.name = name;
        this.command = command;
        this.python = python;
        this.options = options;
        this.versions = versions;
        this.reservation = reservation;
        this.directory = Paths.get("target", "milvus-lite", name + "-" + reservation.port()).toAbsolutePath();
        this.dataDir = directory.resolve("data");
        this.logFile = directory.resolve("server.log");
    }

    /**
     * Starts a new milvus-lite server and waits until it answers an RPC.
     *
     * <p>Installs milvus-lite into the shared cache first if needed (minutes, once per machine).
     * Starting then takes about a second. Close the server when done, or let
     * {@link MilvusLiteExtension} do it.
     *
     * @param name a label for logs and folders: letters, digits, {@code .}, {@code _} or {@code -},
     *     up to 64 characters, such as {@code search}
     * @return the running server; never {@code null}
     * @throws IllegalArgumentException when {@code name} is not such a label
     * @throws IllegalStateException when Python is missing or unfit, installation fails, or the server
     *     does not answer within 120 s; the message says what to do, or names the log and quotes its end
     */
    public static MilvusLiteServer start(String name) {
        return start(name, MilvusLiteInstallation.fromEnvironment(), MilvusLiteOptions.plaintext());
    }

    /**
     * Starts a new milvus-lite server served as {@code options} say (TLS, mutual TLS, credentials),
     * and waits until it answers an RPC made with the matching trust, client certificate and
     * credentials. Otherwise as {@link #start(String)}.
     *
     * <p>Plaintext without credentials runs {@code milvus-lite server}; anything else runs
     * milvus-lite's own servicer through a launcher script with the virtual environment's Python
     * (its output goes to {@link #logFile()} too).
     *
     * @param name a label for logs and folders, as for {@link #start(String)}
     * @param options how to serve; not {@code null}
     * @return the running server; never {@code null}
     * @throws IllegalArgumentException when {@code name} is not such a label
     * @throws IllegalStateException as {@link #start(String)}
     */
    public static MilvusLiteServer start(String name, MilvusLiteOptions options) {
        return start(name, MilvusLiteInstallation.fromEnvironment(), options);
    }

    /** {@link #start(String)} with a given installation, so that tests can point at another Python. */
    static MilvusLiteServer start(String name, MilvusLiteInstallation installation) {
        return start(name, installation, MilvusLiteOptions.plaintext());
    }

    private static MilvusLiteServer start(String name, MilvusLiteInstallation installation,
            MilvusLiteOptions options) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(options, "options");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("The server name '" + name + "' cannot name a folder; use 1 to 64"
                    + " letters, digits, '.', '_' or '-', starting with a letter or digit, such as 'search'");
        }
        Path command = installation.ensureInstalled();
        PortReservation reservation = PortReservation.reserve();
        MilvusLiteServer server = new MilvusLiteServer(name, command, installation.venvPython(), options,
                installation.versions(), reservation);
        try {
            server.startFresh();
        } catch (RuntimeException | Error e) {
            server.close();
            throw e;
        }
        return server;
    }

    /** Always {@link MilvusBackend#MILVUS_LITE}. */
    @Override
    public MilvusBackend backend() {
        return MilvusBackend.MILVUS_LITE;
    }

    /** The name given to {@link #start(String)}. */
    public String name() {
        return name;
    }

    /** The host the server listens on: always {@code 127.0.0.1}. */
    public String host() {
        return HOST;
    }

    /** The port the server listens on; the same after a {@link #restart()}. */
    public int port() {
        return reservation.port();
    }

    /** {@code host:port}, such as {@code 127.0.0.1:41234}, for the {@code address} configuration key. */
    public String address() {
        return HOST + ":" + port();
    }

    /**
     * {@code http://host:port}, such as {@code http://127.0.0.1:41234}, for {@code ConnectConfig.uri};
     * {@code https://host:port} when the server speaks TLS.
     */
    public String uri() {
        return (options.isTls() ? "https://" : "http://") + address();
    }

    /** How the server is served: plaintext, TLS, mutual TLS, credentials. */
    public MilvusLiteOptions options() {
        return options;
    }

    /**
     * The server's standard output and error, appended across restarts; each start is headed by a
     * line beginning with {@code --- milvus-cdi:}. The first place to look when a test fails.
     */
    public Path logFile() {
        return logFile;
    }

    /** The folder holding the server's data; kept across {@link #stop()} and {@link #restart()}. */
    public Path dataDir() {
        return dataDir;
    }

    /** Whether the server process is alive (it may still be starting if called from another thread). */
    public boolean isRunning() {
        Process current = process;
        return current != null && current.isAlive();
    }

    /** The process id of the running server, or -1 when stopped; for tests of this module. */
    long pid() {
        Process current = process;
        return current == null ? -1 : current.pid();
    }

    /**
     * Stops the server process: SIGTERM, then a kill after 5 s, its child processes included. The
     * port stays reserved for {@link #restart()} and the data stays on disk. Does nothing when
     * already stopped.
     */
    public synchronized void stop() {
        Process current = process;
        if (current == null) {
            return;
        }
        try {
            signal("-CONT"); // a frozen server would not see SIGTERM
        } catch (RuntimeException gone) {
            // it ended by itself meanwhile: terminating it below is a no-op
        }
        process = null;
        ProcessTermination.terminate(current, STOP_GRACE);
        LOG.info("Stopped {} (exit code {})", this, current.isAlive() ? "none, still alive" : current.exitValue());
    }

    /**
     * Freezes the server process and its children (SIGSTOP): connections stay open and calls are
     * accepted by the kernel, but nothing answers, as a server stuck mid-call looks. {@link #thaw()}
     * resumes it; {@link #stop()} and {@link #close()} resume it first. Does nothing when stopped.
     */
    public synchronized void freeze() {
        signal("-STOP");
    }

    /** Resumes a {@link #freeze() frozen} server (SIGCONT). Does nothing when stopped. */
    public synchronized void thaw() {
        signal("-CONT");
    }

    private void signal(String signal) {
        Process current = process;
        if (current == null) {
            return;
        }
        List<String> command = new ArrayList<>(List.of("kill", signal, Long.toString(current.pid())));
        current.descendants().forEach(child -> command.add(Long.toString(child.pid())));
        try {
            Process kill = new ProcessBuilder(command).redirectErrorStream(true).start();
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                kill.destroyForcibly();
                throw new IllegalStateException("kill " + signal + " of " + this + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot run kill " + signal + " for " + this, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while signalling " + this, e);
        }
    }

    /**
     * Kills the server process at once (SIGKILL), its child processes included, as a crash or an
     * out-of-memory kill would: no graceful shutdown, connections reset. The port stays reserved for
     * {@link #restart()} and the data stays on disk. Does nothing when already stopped.
     */
    public synchronized void kill() {
        Process current = process;
        if (current == null) {
            return;
        }
        process = null;
        ProcessTermination.kill(current, STOP_GRACE);
        LOG.info("Killed {} (alive: {})", this, current.isAlive());
    }

    /**
     * Starts the server again, on the same port with the same data, and waits until it answers an
     * RPC. Stops it first if it is running. Binding is retried for 10 s in case the port lingers.
     *
     * @throws IllegalStateException when the server was closed, or does not come back; the message
     *     names the log file and quotes its end
     */
    public synchronized void restart() {
        if (closed) {
            throw new IllegalStateException(this + " is closed; start a new one with MilvusLiteServer.start(\""
                    + name + "\")");
        }
        stop();
        // the port may linger a moment after the old process: another try while it does
        ExitedEarly[] last = {null};
        boolean started = Await.last(() -> {
            try {
                launchAndAwaitReady("restarting");
                return true;
            } catch (ExitedEarly e) {
                last[0] = e;
                return false;
            }
        }, Boolean::booleanValue, REBIND_WINDOW);
        if (!started) {
            throw new IllegalStateException(name() + ": milvus-lite could not start again on " + address() + " for "
                    + REBIND_WINDOW.toSeconds() + " s (is another process using the port?). " + last[0].getMessage(),
                    last[0]);
        }
    }

    /** Stops the server and gives its port back. Idempotent; the server cannot be restarted afterwards. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            stop();
        } finally {
            reservation.release();
        }
    }

    /**
     * The name and address, such as {@code MilvusLiteServer[search@127.0.0.1:41234]}, and how it is
     * served when not plaintext, such as {@code MilvusLiteServer[tls@127.0.0.1:41234, TLS as localhost,
     * no credentials checked]}; never a secret.
     */
    @Override
    public String toString() {
        return "MilvusLiteServer[" + name + "@" + address()
                + (options.needsLauncher() ? ", " + options.describe() : "") + "]";
    }

    private synchronized void startFresh() {
        try {
            MilvusLiteInstallation.deleteRecursively(directory);
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot prepare " + directory + " for milvus-lite '" + name
                    + "': " + e.getMessage() + "; make the working directory writable", e);
        }
        launchAndAwaitReady("starting");
    }

    private void launchAndAwaitReady(String verb) {
        long started = System.nanoTime();
        Process launched = launch(verb);
        process = launched;
        String version;
        try {
            version = LaunchedServers.awaitAnswer(name + ": milvus-lite", launched, port(), logFile, READY_TIMEOUT,
                    () -> LaunchedServers.serverVersion(readinessConfig().build(), false), ExitedEarly::new);
        } catch (RuntimeException | Error e) {
            process = null;
            ProcessTermination.terminate(launched, STOP_GRACE);
            throw e;
        }
        LOG.info("{} is ready (milvus-lite {}, server version {}) after {} ms; log: {}", this,
                versions.milvusLite(), version, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started), logFile);
    }

    private Process launch(String verb) {
        List<String> commandLine = options.needsLauncher()
                ? List.of(python.toString(), LaunchedServers.writeLauncher(LAUNCHER, directory).toString(), "--data-dir", dataDir.toString(),
                        "--host", HOST, "--port", Integer.toString(port()))
                : List.of(command.toString(), "server", "--data-dir", dataDir.toString(),
                        "--host", HOST, "--port", Integer.toString(port()));
        try {
            Files.writeString(logFile, "--- milvus-cdi: " + Instant.now() + " " + verb + ": "
                            + String.join(" ", commandLine) + System.lineSeparator(),
                    StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            ProcessBuilder builder = new ProcessBuilder(commandLine)
                    .directory(directory.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
            builder.environment().put("PYTHONUNBUFFERED", "1");
            if (options.needsLauncher()) {
                // Secrets travel through the environment: never on the command line, which is logged.
                builder.environment().put(LAUNCHER_OPTIONS_ENV, options.toLauncherJson(versions.milvusLite()));
            }
            Process started = builder.start();
            ProcessTermination.endOnJvmExit(started);
            started.getOutputStream().close();
            return started;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot run " + command + " for " + this + ": " + e.getMessage()
                    + ". Delete the folder " + command.getParent().getParent()
                    + " so that it is installed again", e);
        }
    }

    /** A client that can talk to this server: trust, client certificate and credentials as served. */
    private ConnectConfig.ConnectConfigBuilder readinessConfig() {
        ConnectConfig.ConnectConfigBuilder config = ConnectConfig.builder()
                .uri(uri())
                .connectTimeoutMs(options.isTls() ? 3000 : 1000)
                .rpcDeadlineMs(options.isTls() ? 5000 : 2000)
                .keepAliveWithoutCalls(false);
        options.certificates().ifPresent(certificates -> {
            config.secure(true).serverName(options.serverName().orElseThrow());
            if (options.isMutualTls()) {
                config.caPemPath(certificates.caPem().toString())
                        .clientPemPath(certificates.clientPem().toString())
                        .clientKeyPath(certificates.clientKey().toString());
            } else {
                // The SDK's one-way TLS trusts whatever the "server" PEM holds: the CA will do.
                config.serverPemPath(certificates.caPem().toString());
            }
        });
        if (options.firstAuthorization() != null) {
            config.token(options.firstAuthorization());
        }
        return config;
    }

    /** The process ended before it answered: on restart, worth another try while the port may linger. */
    private static final class ExitedEarly extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        ExitedEarly(String message) {
            super(message);
        }
    }
}
