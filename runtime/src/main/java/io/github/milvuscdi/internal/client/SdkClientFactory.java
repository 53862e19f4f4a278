package io.github.milvuscdi.internal.client;

import io.github.milvuscdi.internal.config.ConnectionSettings;
import io.github.milvuscdi.internal.sdk.MilvusSdk;
import io.milvus.shaded.io.grpc.StatusRuntimeException;
import io.milvus.v2.client.ConnectConfig;
import io.milvus.v2.client.MilvusClientV2;
import io.milvus.v2.client.RetryConfig;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * Opens and closes the SDK's clients, taming what the SDK does on failure, and translates an
 * alias's settings into the SDK's {@link ConnectConfig}.
 *
 * <p>The SDK's constructor opens a gRPC channel and then blocks on a {@code Connect} RPC; when that
 * fails, the exception leaves the channel open with no reference to close it, and gRPC later
 * warns that it "was not shutdown properly". So a client is built empty and connected through the
 * SDK's own connect steps ({@link MilvusSdk#connect}), which lets a failed connection be closed.
 *
 * <p>Thread-safe.
 */
public final class SdkClientFactory implements ClientFactory {

    private static final Logger LOG = Logger.getLogger(SdkClientFactory.class.getName());
    private static final long CLOSE_WAIT_SECONDS = 5;
    /** Stands for the JVM's trusted certificates in a {@link ConnectConfig} until {@link #open} writes them out. */
    private static final String JVM_TRUST_STORE = "<the JVM's trust store>";

    private final ConnectConfigCustomizer customizer;
    private final java.util.Set<String> warnedPlaintext = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final ClientDecorator decorator;
    private ScheduledThreadPoolExecutor timer;

    /**
     * Creates a factory.
     *
     * @param customizer called with each alias's builder just before its client is built
     */
    public SdkClientFactory(ConnectConfigCustomizer customizer) {
        this(customizer, ClientDecorator.NONE);
    }

    /**
     * Creates a factory that decorates each client it connected.
     *
     * @param customizer called with each alias's builder just before its client is built
     * @param decorator called with each client once connected
     */
    public SdkClientFactory(ConnectConfigCustomizer customizer, ClientDecorator decorator) {
        this.customizer = customizer;
        this.decorator = decorator;
    }

    /**
     * Returns a fresh SDK builder for an alias's settings; each client needs its own.
     *
     * <p>Only what is set reaches the SDK: no empty database name (the SDK would call
     * ListDatabases), and with TLS a server name that defaults to the host (the SDK throws
     * {@code NullPointerException: authority} without one when given a server certificate).
     *
     * @param settings the alias's settings
     * @return a new builder, never {@code null}
     */
    public static ConnectConfig.ConnectConfigBuilder connectConfig(ConnectionSettings settings) {
        ConnectConfig.ConnectConfigBuilder builder = ConnectConfig.builder()
                .uri((settings.secure() ? "https://" : "http://") + sdkAddress(settings))
                .secure(settings.secure())
                .connectTimeoutMs(settings.connectTimeout().toMillis());
        if (settings.authorization() != null) {
            builder.token(settings.authorization());
        }
        if (settings.databaseName() != null) {
            builder.dbName(settings.databaseName());
        }
        if (settings.secure()) {
            builder.serverName(settings.serverName());
            // The SDK (2.6.22) picks one of three channel kinds: with a server PEM, one-way TLS that
            // trusts that file and sends no client certificate, even if one is given; else with a
            // client certificate, key and CA, mutual TLS; else the JVM's default trust store, where
            // a CA PEM alone is ignored. So mutual TLS gets no server PEM, and a CA PEM alone is
            // what one-way TLS trusts.
            if (settings.mutualTls()) {
                builder.caPemPath(settings.caPemPath()).clientPemPath(settings.clientPemPath())
                        .clientKeyPath(settings.clientKeyPath());
            } else if (settings.serverPemPath() != null) {
                builder.serverPemPath(settings.serverPemPath());
            } else if (settings.caPemPath() != null) {
                builder.serverPemPath(settings.caPemPath());
            } else if (settings.serverName() != null && !settings.serverName().equals(settings.host())) {
                // With the JVM's trust store the SDK applies no server name, and its SSLContext option
                // offers no ALPN, which gRPC needs. What it does apply it to is a trusted PEM file: the
                // JVM's trusted certificates are written to one (see open) and trusted that way.
                builder.serverPemPath(JVM_TRUST_STORE);
            }
        }
        if (settings.keepAliveTime() != null) {
            builder.keepAliveTimeMs(settings.keepAliveTime().toMillis());
        }
        if (settings.keepAliveTimeout() != null) {
            builder.keepAliveTimeoutMs(settings.keepAliveTimeout().toMillis());
        }
        if (settings.keepAliveWithoutCalls() != null) {
            builder.keepAliveWithoutCalls(settings.keepAliveWithoutCalls());
        }
        if (settings.idleTimeout() != null) {
            builder.idleTimeoutMs(settings.idleTimeout().toMillis());
        }
        if (settings.rpcDeadline() != null) {
            builder.rpcDeadlineMs(settings.rpcDeadline().toMillis());
        }
        return builder;
    }

    /**
     * The {@code host:port} the SDK is given. The SDK reads its uri with {@code java.net.URI}, which
     * refuses host names that DNS and Docker accept ({@code milvus_standalone}, the service name in
     * Milvus's docker-compose files): such a name is resolved here, when the client connects, and the
     * SDK gets the address (TLS still checks the certificate against the name, the server name).
     */
    static String sdkAddress(ConnectionSettings settings) {
        String address = settings.address();
        try {
            if (new java.net.URI("http://" + address).getHost() != null) {
                return address;
            }
        } catch (java.net.URISyntaxException notAUri) {
            // resolved below
        }
        try {
            java.net.InetAddress resolved = java.net.InetAddress.getByName(settings.host());
            String ip = resolved.getHostAddress();
            int zone = ip.indexOf('%');
            ip = zone >= 0 ? ip.substring(0, zone) : ip; // the SDK's uri cannot carry a zone
            return (ip.indexOf(':') >= 0 ? "[" + ip + "]" : ip) + ":" + settings.port();
        } catch (java.net.UnknownHostException unknown) {
            throw new ConnectFailure(settings.alias(), ConnectFailure.Kind.UNREACHABLE, cannotConnectTo(settings)
                    + "the host name '" + settings.host() + "' does not resolve", "cannot connect: the host name '"
                    + settings.host() + "' does not resolve", unknown);
        }
    }

    /**
     * Writes the certificates the JVM's default trust store trusts to a PEM file, for the SDK to trust.
     *
     * @return the file; the caller deletes it once the channel is built
     */
    private static java.nio.file.Path jvmTrustedCertificates() {
        try {
            javax.net.ssl.TrustManagerFactory factory = javax.net.ssl.TrustManagerFactory.getInstance(
                    javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
            factory.init((java.security.KeyStore) null);
            StringBuilder pem = new StringBuilder();
            java.util.Base64.Encoder base64 = java.util.Base64.getMimeEncoder(64, new byte[] {'\n'});
            for (javax.net.ssl.TrustManager manager : factory.getTrustManagers()) {
                if (manager instanceof javax.net.ssl.X509TrustManager) {
                    for (java.security.cert.X509Certificate trusted
                            : ((javax.net.ssl.X509TrustManager) manager).getAcceptedIssuers()) {
                        pem.append("-----BEGIN CERTIFICATE-----\n").append(base64.encodeToString(trusted.getEncoded()))
                                .append("\n-----END CERTIFICATE-----\n");
                    }
                }
            }
            java.nio.file.Path file = java.nio.file.Files.createTempFile("milvus-cdi-jvm-trust", ".pem");
            java.nio.file.Files.writeString(file, pem);
            return file;
        } catch (java.io.IOException | java.security.GeneralSecurityException unavailable) {
            throw new IllegalStateException("cannot read the JVM's trust store: " + unavailable, unavailable);
        }
    }

    /**
     * The SDK's retry policy for an alias; see {@link io.github.milvuscdi.internal.config.RetrySettings}.
     *
     * @param settings the alias's settings
     * @return a new retry configuration
     */
    public static RetryConfig retryConfig(ConnectionSettings settings) {
        return RetryConfig.builder()
                .maxRetryTimes(settings.retry().maxAttempts())
                .maxRetryTimeoutMs(settings.retry().maxTime().toMillis())
                .initialBackOffMs(settings.retry().initialBackoff().toMillis())
                .maxBackOffMs(settings.retry().maxBackoff().toMillis())
                .backOffMultiplier(settings.retry().backoffMultiplier())
                .retryOnRateLimit(settings.retry().onRateLimit())
                .build();
    }

    @Override
    public void closedAll() {
        ScheduledThreadPoolExecutor stopping;
        synchronized (this) {
            stopping = timer;
            timer = null;
        }
        if (stopping != null) {
            stopping.shutdownNow();
            try {
                stopping.awaitTermination(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        MilvusSdk.awaitEventLoopsEnd();
        MilvusSdk.removeThreadLocals(); // closing ran Netty code on this thread too
    }

    /** Builds and connects a client; blocks up to twice the alias's {@code connect-timeout}. */
    @Override
    public MilvusClientV2 open(ConnectionSettings settings) {
        ConnectConfig.ConnectConfigBuilder builder = connectConfig(settings);
        customizer.customize(settings.alias(), builder);
        ConnectConfig config = builder.build();
        java.nio.file.Path jvmTrust = null;
        if (JVM_TRUST_STORE.equals(config.getServerPemPath())) {
            jvmTrust = jvmTrustedCertificates();
            config.setServerPemPath(jvmTrust.toString());
        }
        if (settings.hasCredentials() && !settings.secure() && warnedPlaintext.add(settings.alias())) {
            LOG.warning(() -> "Milvus alias '" + settings.alias() + "' sends credentials to " + settings.address()
                    + " unencrypted (plain http): use an https:// uri or set "
                    + io.github.milvuscdi.internal.config.ConnectionKey.SECURE.fullKey(settings.alias())
                    + "=true when the server offers TLS");
        }
        long started = System.nanoTime();
        MilvusClientV2 client = MilvusSdk.unconnectedClient();
        // The SDK bounds Connect by connect-timeout but checks a configured database with no
        // deadline: a server that accepts the call and never answers would hold this thread for
        // ever. Past twice the timeout the client is closed, which ends the call.
        long bound = 2 * settings.connectTimeout().toMillis();
        MilvusClientV2 connecting = client;
        AtomicBoolean expired = new AtomicBoolean();
        // Our own timer, not CompletableFuture.orTimeout: that one runs on a JDK-wide thread
        // started on first use, which keeps the context class loader of whoever started it (an
        // application's, pinned after its undeploy); ours ends when the registry closes.
        Future<?> connected = timer().schedule(() -> {
            expired.set(true);
            closeQuietly(connecting);
        }, bound, TimeUnit.MILLISECONDS);
        try {
            MilvusSdk.connect(client, config);
        } catch (IllegalStateException unsupported) {
            closeQuietly(client);
            throw unsupported;
        } catch (RuntimeException failed) {
            closeQuietly(client);
            if (expired.get()) {
                throw unanswered(settings, config.getDbName(), bound, failed);
            }
            // The SDK may only say "deadline exceeded": ask the transport why.
            StatusRuntimeException transport = ConnectFailures.transportFailure(config, failed);
            throw cannotConnect(settings, failed, transport);
        } catch (Error fatal) {
            closeQuietly(client);
            throw fatal;
        } catch (Throwable failed) {
            closeQuietly(client);
            throw cannotConnect(settings, failed, null);
        } finally {
            connected.cancel(false);
            if (jvmTrust != null) {
                try {
                    java.nio.file.Files.deleteIfExists(jvmTrust); // read when the channel was built
                } catch (java.io.IOException ignored) {
                    jvmTrust.toFile().deleteOnExit();
                }
            }
        }
        if (expired.get()) {
            // Connected just as the bound passed, and the timer's close may already have run: a
            // closed client must never be handed out, so close it (again) and fail.
            closeQuietly(client);
            throw unanswered(settings, config.getDbName(), bound, null);
        }
        client.retryConfig(retryConfig(settings));
        Availability availability = new Availability(settings);
        MilvusSdk.boundReadyWait(client, settings.connectTimeout().toMillis(), availability.failure(), timer(),
                availability::unavailable, availability::available);
        decorate(settings, client);
        long millis = (System.nanoTime() - started) / 1_000_000;
        LOG.info(() -> "Opened Milvus connection '" + settings.alias() + "' to " + settings.address()
                + (settings.secure() ? " (TLS)" : "") + " in " + millis + " ms");
        return client;
    }

    /** A client that cannot be decorated still serves: telemetry is not worth an outage. */
    private void decorate(ConnectionSettings settings, MilvusClientV2 client) {
        try {
            decorator.decorate(settings, client);
        } catch (RuntimeException failed) {
            LOG.log(Level.WARNING, failed, () -> "Milvus alias '" + settings.alias()
                    + "': its calls will not be traced: " + failed);
        }
    }

    /** Says so in the log, even while the JVM shuts down: see {@link #logClose}. */
    @Override
    public void close(ConnectionSettings settings, MilvusClientV2 client) {
        try {
            MilvusSdk.close(client, CLOSE_WAIT_SECONDS);
            logClose(Level.INFO, null, "Closed Milvus connection '" + settings.alias() + "' to "
                    + settings.address());
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            logClose(Level.WARNING, null, "Interrupted while closing Milvus connection '" + settings.alias()
                    + "' to " + settings.address());
        } catch (RuntimeException failed) {
            logClose(Level.WARNING, failed, "Closing Milvus connection '" + settings.alias() + "' to "
                    + settings.address() + " failed");
        }
    }

    /**
     * Logs what closing a client did, through {@link #LOG} or, when java.util.logging has no handler
     * left for it, on standard error.
     *
     * <p>Why: the JDK's {@code LogManager} resets java.util.logging (removes every handler) from its
     * own shutdown hook, which runs at the same time as the server's. A server that undeploys its
     * applications from a shutdown hook, as Payara Micro does on SIGTERM, closes our clients after
     * that reset, and their close would go unrecorded. Standard error is what such a server's
     * console log keeps; servers with their own log manager (WildFly) never get here.
     */
    private static void logClose(Level level, Throwable thrown, String message) {
        if (!LOG.isLoggable(level)) {
            return;
        }
        LogRecord record = new LogRecord(level, message);
        record.setLoggerName(LOG.getName());
        record.setSourceClassName(SdkClientFactory.class.getName());
        record.setSourceMethodName("close");
        record.setThrown(thrown);
        if (hasHandlers(LOG)) {
            LOG.log(record);
        } else {
            System.err.print(new SimpleFormatter().format(record));
            System.err.flush();
        }
    }

    private static boolean hasHandlers(Logger logger) {
        for (Logger current = logger; current != null; current = current.getParent()) {
            if (current.getHandlers().length > 0) {
                return true;
            }
            if (!current.getUseParentHandlers()) {
                return false;
            }
        }
        return false;
    }

    /**
     * The one timer of this factory, a daemon thread that ends when idle and when the registry closes;
     * it has no context class loader, so it pins no application's.
     */
    private synchronized ScheduledExecutorService timer() {
        if (timer == null) {
            timer = new ScheduledThreadPoolExecutor(1, task -> {
                Thread thread = new Thread(task, "milvus-cdi-timer");
                thread.setDaemon(true);
                thread.setContextClassLoader(null);
                return thread;
            });
            timer.setKeepAliveTime(5, TimeUnit.SECONDS);
            timer.allowCoreThreadTimeOut(true);
            timer.setRemoveOnCancelPolicy(true);
        }
        return timer;
    }

    private static void closeQuietly(MilvusClientV2 client) {
        try {
            MilvusSdk.close(client, 1);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException ignored) {
            // the connection already failed; that failure is the one reported
        }
    }

    /**
     * The failure users see: alias, address, whether TLS, the connect-timeout, and why in their
     * terms (see {@link ConnectFailures}). The transport's failure, when a second attempt told one,
     * becomes the cause, so that the readiness check reports it too; the SDK's is then suppressed.
     */
    private static ConnectFailure unanswered(ConnectionSettings settings, String database, long bound,
            Throwable sdkFailure) {
        String detail = "the server accepted the connection but gave no answer within " + bound
                + " ms (twice connect-timeout)"
                + (database == null ? "" : " while the SDK checked that database '" + database + "' exists");
        return new ConnectFailure(settings.alias(), ConnectFailure.Kind.NO_ANSWER, cannotConnectTo(settings)
                + detail, "cannot connect: " + detail, sdkFailure);
    }

    private static String cannotConnectTo(ConnectionSettings settings) {
        return "Milvus alias '" + settings.alias() + "': cannot connect to " + settings.address()
                + (settings.secure() ? " over TLS" : "") + " (connect-timeout " + settings.connectTimeout().toMillis()
                + " ms): ";
    }

    private static ConnectFailure cannotConnect(ConnectionSettings settings, Throwable sdkFailure,
            StatusRuntimeException transportFailure) {
        Throwable telling = transportFailure != null ? transportFailure : sdkFailure;
        ConnectFailures.Explanation why = ConnectFailures.explain(settings, telling);
        ConnectFailure failure = new ConnectFailure(settings.alias(), why.kind(),
                cannotConnectTo(settings) + why.text(), "cannot connect: " + why.text(), telling);
        if (transportFailure != null) {
            failure.addSuppressed(sdkFailure);
        }
        return failure;
    }

    /**
     * Whether an alias's server is reachable, as its calls find it: one WARNING when calls start to
     * time out waiting for a usable connection, one INFO when a call gets through again; nothing per call.
     */
    private static final class Availability {
        private final ConnectionSettings settings;
        private final AtomicBoolean down = new AtomicBoolean();

        Availability(ConnectionSettings settings) {
            this.settings = settings;
        }

        String failure() {
            return "Milvus alias '" + settings.alias() + "': the server at " + settings.address()
                    + " is unavailable: no usable connection within connect-timeout ("
                    + settings.connectTimeout().toMillis() + " ms); it refuses connections, does not answer, or "
                    + "is restarting. The call was not sent";
        }

        void unavailable() {
            if (down.compareAndSet(false, true)) {
                LOG.warning(() -> "Milvus alias '" + settings.alias() + "': the server at " + settings.address()
                        + " is unavailable; calls fail after waiting connect-timeout ("
                        + settings.connectTimeout().toMillis() + " ms) for a usable connection, until it is back");
            }
        }

        void available() {
            if (down.compareAndSet(true, false)) {
                LOG.info(() -> "Milvus alias '" + settings.alias() + "': the server at " + settings.address()
                        + " is available again");
            }
        }
    }
}
