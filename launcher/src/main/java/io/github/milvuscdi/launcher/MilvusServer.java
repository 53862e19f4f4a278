package io.github.milvuscdi.launcher;

import com.google.gson.Gson;
import io.milvus.v2.client.ConnectConfig;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * A real Milvus for tests: Milvus's own standalone server (PyPI package {@code milvus}, the Go
 * binary with embedded etcd, local storage and RocksMQ), on free loopback ports.
 *
 * <pre>{@code
 * try (MilvusServer milvus = MilvusServer.start("search")) {
 *     MilvusClientV2 client = new MilvusClientV2(ConnectConfig.builder().uri(milvus.uri()).build());
 *     ...
 *     client.close(1);
 * }
 * }</pre>
 *
 * <p>{@link #start(String)} installs the package the first time (Python 3.10+ with venv and pip,
 * network access to PyPI; see {@code README.md}), reserves a free port for everything the server
 * opens (the proxy clients talk to, the proxy's internal port, the coordinators and nodes, the
 * embedded etcd's client and peer ports, the metrics and health port), starts it on a fresh data
 * folder and returns once it answers a real RPC. So several servers, in one JVM or several, run side
 * by side. Files live under {@code target/milvus-server/<name>-<port>/}: {@code server.log} and
 * {@code data/} (Milvus's {@code configs/}, {@code logs/} and {@code data/}).
 *
 * <p>Served over TLS, mutual TLS or with authentication with
 * {@link #start(String, MilvusServerOptions)}: the server itself does it, as a production Milvus.
 *
 * <p>{@link #stop()} sends SIGTERM and kills the server after 3 s (Milvus 2.3.5 takes 2 to 40 s to
 * stop gracefully); {@link #restart()} starts it again on the same ports and data. The server also
 * ends when the JVM ends, even by SIGKILL: it runs under a small launcher that stops it when its
 * standard input, a pipe from this JVM, closes. Thread-safe: {@link #stop()}, {@link #restart()}
 * and {@link #close()} are serialized.
 */
public final class MilvusServer extends LaunchedServer {

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(180);
    /** The launcher's own bound between SIGTERM and SIGKILL of milvus. */
    private static final int MILVUS_STOP_GRACE_SECONDS = 3;
    /** Ours on the launcher: longer than its own, so that it can kill milvus itself. */
    private static final Duration STOP_GRACE = Duration.ofSeconds(10);
    /**
     * common.session.ttl: a killed server leaves its sessions in etcd and the next start waits for
     * them to expire (30 s by default). 10 s keeps restarts short without risking the lease.
     */
    private static final int SESSION_TTL_SECONDS = 10;

    private static final String LAUNCHER = "milvus_server.py";
    private static final String LAUNCHER_OPTIONS_ENV = "MILVUS_CDI_SERVER_OPTIONS";

    /** Every port the server opens, by the launcher's names; the proxy's comes first. */
    private static final List<String> PORT_NAMES = List.of(
            "proxy_port",
            "proxy_internal_port",
            "etcd_port",
            "etcd_peer_port",
            "metrics_port",
            "root_coord_port",
            "query_coord_port",
            "query_node_port",
            "index_coord_port",
            "index_node_port",
            "data_coord_port",
            "data_node_port");

    private final MilvusServerInstallation installation;
    private final MilvusServerOptions options;
    private final Map<String, PortReservation> ports;

    private MilvusServer(
            String name,
            MilvusServerInstallation installation,
            MilvusServerOptions options,
            Map<String, PortReservation> ports) {
        super(name, "milvus-server", ports.get("proxy_port").port());
        this.installation = installation;
        this.options = options;
        this.ports = ports;
    }

    /**
     * Starts a new plaintext server without authentication and waits until it answers an RPC.
     *
     * <p>Installs the package into the shared cache first if needed (a minute or more, once per
     * machine). Starting then takes a few seconds. Close the server when done, or let
     * the test kit's {@code MilvusServerExtension} do it.
     *
     * @param name a label for logs and folders: letters, digits, {@code .}, {@code _} or {@code -},
     *     up to 64 characters, such as {@code search}
     * @return the running server; never {@code null}
     * @throws IllegalArgumentException when {@code name} is not such a label
     * @throws IllegalStateException when Python is missing or unfit, installation fails, or the server
     *     does not answer within 180 s; the message says what to do, or names the log and quotes its end
     */
    public static MilvusServer start(String name) {
        return start(name, MilvusServerOptions.plaintext());
    }

    /**
     * Starts a new server served as {@code options} say (TLS, mutual TLS, authentication) and waits
     * until it answers an RPC made with the matching trust, client certificate and root's
     * credentials. Otherwise as {@link #start(String)}.
     *
     * @param name a label for logs and folders, as for {@link #start(String)}
     * @param options how to serve; not {@code null}
     * @return the running server; never {@code null}
     * @throws IllegalArgumentException when {@code name} is not such a label
     * @throws IllegalStateException as {@link #start(String)}
     */
    public static MilvusServer start(String name, MilvusServerOptions options) {
        return start(name, MilvusServerInstallation.fromEnvironment(), options);
    }

    static MilvusServer start(String name, MilvusServerInstallation installation, MilvusServerOptions options) {
        requireName(name);
        Objects.requireNonNull(options, "options");
        installation.ensureInstalled();
        Map<String, PortReservation> ports = new LinkedHashMap<>();
        MilvusServer server;
        try {
            for (String port : PORT_NAMES) {
                ports.put(port, PortReservation.reserve());
            }
            server = new MilvusServer(name, installation, options, ports);
        } catch (RuntimeException | Error e) {
            ports.values().forEach(PortReservation::release);
            throw e;
        }
        server.startFreshOrClose();
        return server;
    }

    /** Always {@link MilvusBackend#MILVUS_SERVER}. */
    @Override
    public MilvusBackend backend() {
        return MilvusBackend.MILVUS_SERVER;
    }

    /** The proxy's port, which clients connect to; the same after a {@link #restart()}. */
    @Override
    public int port() {
        return ports.get("proxy_port").port();
    }

    /** The port of Milvus's HTTP health and metrics server ({@code /healthz}, {@code /metrics}). */
    public int metricsPort() {
        return ports.get("metrics_port").port();
    }

    /** How the server is served. */
    public MilvusServerOptions options() {
        return options;
    }

    /** The pinned version of the {@code milvus} package, such as {@code 2.3.5}. */
    public String packageVersion() {
        return installation.version();
    }

    /** The process ids of the launcher and of milvus, empty when stopped; for tests of this module. */
    List<Long> pids() {
        Process current = process;
        if (current == null) {
            return List.of();
        }
        List<Long> pids = current.descendants().map(ProcessHandle::pid).collect(Collectors.toList());
        pids.add(0, current.pid());
        return pids;
    }

    @Override
    String kind() {
        return "Milvus";
    }

    @Override
    boolean tls() {
        return options.isTls();
    }

    /** The alias names Milvus's pid file ({@code /run/milvus/standalone-<alias>.pid}), shared otherwise. */
    @Override
    List<String> commandLine() {
        return List.of(
                installation.venvPython().toString(),
                writeLauncher(LAUNCHER, directory).toString(),
                "--data-dir",
                dataDir.toString(),
                "--alias",
                name + "-" + port());
    }

    @Override
    void environment(Map<String, String> environment) {
        environment.put(LAUNCHER_OPTIONS_ENV, launcherJson());
    }

    /** The launcher stops milvus when its standard input closes, which the kernel does when this JVM dies. */
    @Override
    boolean keepsStandardInput() {
        return true;
    }

    /**
     * The version, through a call that needs the whole server: the proxy answers GetVersion as soon as
     * it listens, before the coordinators are up, so ListDatabases (served by the root coordinator)
     * must answer too.
     */
    @Override
    String askVersion() {
        return ServerReadiness.serverVersion(clientConfig().build(), true);
    }

    @Override
    Duration readyTimeout() {
        return READY_TIMEOUT;
    }

    @Override
    Duration stopGrace() {
        return STOP_GRACE;
    }

    /** One attempt: each start of Milvus takes seconds, and its ports are all reserved. */
    @Override
    Duration rebindWindow() {
        return Duration.ZERO;
    }

    @Override
    String reinstallHint() {
        return "Delete the folder " + installation.home() + " so that it is installed again";
    }

    @Override
    String readyDetails() {
        return "milvus " + installation.version();
    }

    @Override
    void releasePorts() {
        ports.values().forEach(PortReservation::release);
    }

    /**
     * The name and address, such as {@code MilvusServer[search@127.0.0.1:41234]}, and how it is
     * served when not plaintext, such as {@code MilvusServer[tls@127.0.0.1:41234, TLS as localhost,
     * authentication]}.
     */
    @Override
    public String toString() {
        boolean plain = !options.isTls() && !options.checksCredentials();
        return "MilvusServer[" + name + "@" + address() + (plain ? "" : ", " + options.describe()) + "]";
    }

    private String launcherJson() {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("milvus_version", installation.version());
        root.put("binaries", installation.binaries().toString());
        root.put("stop_grace_seconds", MILVUS_STOP_GRACE_SECONDS);
        root.put("session_ttl_seconds", SESSION_TTL_SECONDS);
        Map<String, Integer> portNumbers = new LinkedHashMap<>();
        ports.forEach((key, reservation) -> portNumbers.put(key, reservation.port()));
        root.put("ports", portNumbers);
        root.put("authorization_enabled", options.checksCredentials());
        options.certificates().ifPresent(certificates -> {
            Map<String, Object> tls = new LinkedHashMap<>();
            tls.put("mode", options.tlsMode());
            tls.put("server_pem", certificates.serverPem().toString());
            tls.put("server_key", certificates.serverKey().toString());
            tls.put("ca_pem", certificates.caPem().toString());
            root.put("tls", tls);
        });
        return new Gson().toJson(root);
    }

    /**
     * A client configuration that can talk to this server: trust, client certificate and root's
     * credentials as served, short timeouts: what the server's own readiness check connects with.
     *
     * @return a new builder, to adjust before {@code build()}
     */
    public ConnectConfig.ConnectConfigBuilder clientConfig() {
        ConnectConfig.ConnectConfigBuilder config =
                ConnectConfig.builder().uri(uri()).connectTimeoutMs(5000).rpcDeadlineMs(10_000);
        options.certificates().ifPresent(certificates -> {
            config.secure(true).serverName("localhost");
            if (options.isMutualTls()) {
                config.caPemPath(certificates.caPem().toString())
                        .clientPemPath(certificates.clientPem().toString())
                        .clientKeyPath(certificates.clientKey().toString());
            } else {
                config.serverPemPath(certificates.caPem().toString());
            }
        });
        if (options.checksCredentials()) {
            config.username(MilvusServerOptions.ROOT_USER).password(MilvusServerOptions.ROOT_PASSWORD);
        }
        return config;
    }
}
