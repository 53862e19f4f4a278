package io.github.milvuscdi.launcher;

import io.milvus.v2.client.ConnectConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

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
 * leaves none behind. JUnit 5 tests usually get one through the test kit's {@code MilvusLiteExtension}.
 *
 * <p>Thread-safe: {@link #stop()}, {@link #restart()} and {@link #close()} are serialized.
 */
public final class MilvusLiteServer extends LaunchedServer {

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration STOP_GRACE = Duration.ofSeconds(5);
    private static final Duration REBIND_WINDOW = Duration.ofSeconds(10);
    private static final String LAUNCHER = "secured_server.py";
    private static final String LAUNCHER_OPTIONS_ENV = "MILVUS_CDI_SERVER_OPTIONS";

    private final Path command;
    private final Path python;
    private final MilvusLiteOptions options;
    private final PinnedVersions versions;
    private final PortReservation reservation;

    private MilvusLiteServer(
            String name,
            Path command,
            Path python,
            MilvusLiteOptions options,
            PinnedVersions versions,
            PortReservation reservation) {
        super(name, "milvus-lite", reservation.port());
        this.command = command;
        this.python = python;
        this.options = options;
        this.versions = versions;
        this.reservation = reservation;
    }

    /**
     * Starts a new milvus-lite server and waits until it answers an RPC.
     *
     * <p>Installs milvus-lite into the shared cache first if needed (minutes, once per machine).
     * Starting then takes about a second. Close the server when done, or let
     * the test kit's {@code MilvusLiteExtension} do it.
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

    /** {@link #start(String)} on a chosen port, for {@link MilvusLiteCommand}; {@code 0} for any free port. */
    static MilvusLiteServer start(String name, int port) {
        requireName(name);
        MilvusLiteInstallation installation = MilvusLiteInstallation.fromEnvironment();
        Path command = installation.ensureInstalled();
        PortReservation reservation = port == 0 ? PortReservation.reserve() : PortReservation.reserve(port);
        MilvusLiteServer server = new MilvusLiteServer(
                name,
                command,
                installation.venvPython(),
                MilvusLiteOptions.plaintext(),
                installation.versions(),
                reservation);
        server.startFreshOrClose();
        return server;
    }

    private static MilvusLiteServer start(String name, MilvusLiteInstallation installation, MilvusLiteOptions options) {
        requireName(name);
        Objects.requireNonNull(options, "options");
        Path command = installation.ensureInstalled();
        PortReservation reservation = PortReservation.reserve();
        MilvusLiteServer server = new MilvusLiteServer(
                name, command, installation.venvPython(), options, installation.versions(), reservation);
        server.startFreshOrClose();
        return server;
    }

    /** Always {@link MilvusBackend#MILVUS_LITE}. */
    @Override
    public MilvusBackend backend() {
        return MilvusBackend.MILVUS_LITE;
    }

    /** The port the server listens on; the same after a {@link #restart()}. */
    @Override
    public int port() {
        return reservation.port();
    }

    /** How the server is served: plaintext, TLS, mutual TLS, credentials. */
    public MilvusLiteOptions options() {
        return options;
    }

    /** The process id of the running server, or -1 when stopped; for tests of this module. */
    long pid() {
        Process current = process;
        return current == null ? -1 : current.pid();
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
        log.info("Killed {} (alive: {})", this, current.isAlive());
    }

    @Override
    String kind() {
        return "milvus-lite";
    }

    @Override
    boolean tls() {
        return options.isTls();
    }

    @Override
    List<String> commandLine() {
        return options.needsLauncher()
                ? List.of(
                        python.toString(),
                        writeLauncher(LAUNCHER, directory).toString(),
                        "--data-dir",
                        dataDir.toString(),
                        "--host",
                        HOST,
                        "--port",
                        Integer.toString(port()))
                : List.of(
                        command.toString(),
                        "server",
                        "--data-dir",
                        dataDir.toString(),
                        "--host",
                        HOST,
                        "--port",
                        Integer.toString(port()));
    }

    @Override
    void environment(Map<String, String> environment) {
        if (options.needsLauncher()) {
            environment.put(LAUNCHER_OPTIONS_ENV, options.toLauncherJson(versions.milvusLite()));
        }
    }

    @Override
    boolean keepsStandardInput() {
        return false;
    }

    @Override
    String askVersion() {
        return ServerReadiness.serverVersion(readinessConfig().build(), false);
    }

    @Override
    Duration readyTimeout() {
        return READY_TIMEOUT;
    }

    @Override
    Duration stopGrace() {
        return STOP_GRACE;
    }

    @Override
    Duration rebindWindow() {
        return REBIND_WINDOW;
    }

    @Override
    String reinstallHint() {
        return "Delete the folder " + command.getParent().getParent() + " so that it is installed again";
    }

    @Override
    String readyDetails() {
        return "milvus-lite " + versions.milvusLite();
    }

    @Override
    void releasePorts() {
        reservation.release();
    }

    /** A frozen server would not see SIGTERM: it is resumed first. */
    @Override
    void beforeStop() {
        try {
            signal("-CONT");
        } catch (RuntimeException gone) {
            // it ended by itself meanwhile: terminating it is a no-op
        }
    }

    /**
     * The name and address, such as {@code MilvusLiteServer[search@127.0.0.1:41234]}, and how it is
     * served when not plaintext, such as {@code MilvusLiteServer[tls@127.0.0.1:41234, TLS as localhost,
     * no credentials checked]}; never a secret.
     */
    @Override
    public String toString() {
        return "MilvusLiteServer[" + name + "@" + address() + (options.needsLauncher() ? ", " + options.describe() : "")
                + "]";
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
}
