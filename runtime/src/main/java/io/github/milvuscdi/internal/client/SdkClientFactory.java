package io.github.milvuscdi.internal.client;

import io.github.milvuscdi.internal.config.ConnectionSettings;
import io.github.milvuscdi.internal.sdk.MilvusSdk;
import io.milvus.shaded.io.grpc.ManagedChannel;
import io.milvus.shaded.io.grpc.StatusRuntimeException;
import io.milvus.v2.client.ConnectConfig;
import io.milvus.v2.client.MilvusClientV2;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Opens and closes the SDK's clients, taming what the SDK does on failure; the translation of an
 * alias's settings into the SDK's configuration is {@link ConnectConfigs}.
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

    private final ConnectConfigCustomizer customizer;
    private final java.util.Set<String> warnedPlaintext = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final ClientDecorator decorator;
    private final ClientCredentials credentials;
    /** The host names a client's channel resolves through a stand-in, given back when it is closed. */
    private final java.util.Map<MilvusClientV2, String> standIns =
            java.util.Collections.synchronizedMap(new java.util.IdentityHashMap<>());
    /** How long stopping the application waits for attempts to connect under way. */
    static final Duration STOP_WAIT = Duration.ofSeconds(5);

    // Guarded by this: the timer, whether the application stops, and the opens under way.
    private ScheduledThreadPoolExecutor timer;
    private boolean stopping;
    private int opening;
    private final Set<MilvusClientV2> connecting = new HashSet<>();

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
        this(customizer, decorator, ClientCredentials.NO_BEANS);
    }

    /**
     * Creates a factory that decorates each client it connected, and finds the beans that
     * {@code credentials-provider} names.
     *
     * @param customizer called with each alias's builder just before its client is built
     * @param decorator called with each client once connected
     * @param providers finds a {@code @Named} {@link io.github.milvuscdi.MilvusCredentialsProvider} by name;
     *     returns {@code null} or throws when there is none
     */
    public SdkClientFactory(
            ConnectConfigCustomizer customizer,
            ClientDecorator decorator,
            java.util.function.Function<String, io.github.milvuscdi.MilvusCredentialsProvider> providers) {
        this.customizer = customizer;
        this.decorator = decorator;
        this.credentials = new ClientCredentials(providers);
    }

    /** Ends the timer; waits for nothing else: other clients of the SDK may be open. */
    @Override
    public void closedAll() {
        ScheduledThreadPoolExecutor ending;
        synchronized (this) {
            ending = timer;
            timer = null;
        }
        if (ending != null) {
            ending.shutdownNow(); // its tasks only tell a channel to close; none blocks
        }
        credentials.closedAll();
        MilvusSdk.removeThreadLocals(); // closing ran Netty code on this thread too
    }

    /**
     * Refuses opens from now on, tells the channel of every open under way to close at once (its
     * connect then fails), and waits for those opens to return, at most {@link #STOP_WAIT}.
     */
    @Override
    public void stopOpening() {
        List<MilvusClientV2> cancelled;
        synchronized (this) {
            stopping = true;
            cancelled = new ArrayList<>(connecting);
        }
        cancelled.forEach(SdkClientFactory::closeNow);
        long deadline = System.nanoTime() + STOP_WAIT.toNanos();
        synchronized (this) {
            long left;
            while (opening > 0 && (left = deadline - System.nanoTime()) > 0) {
                try {
                    TimeUnit.NANOSECONDS.timedWait(this, left);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            if (opening > 0) {
                int late = opening;
                LOG.warning(() -> late + " Milvus connection attempts still under way " + STOP_WAIT.toSeconds()
                        + " s after the application began to stop; their clients are closed when they end");
            }
        }
    }

    /** Waits, bounded, for the SDK's gRPC event loops: the container's stop alone does (see {@code GrpcEventLoops}). */
    @Override
    public void applicationStopped() {
        MilvusSdk.awaitEventLoopsEnd();
        MilvusSdk.removeThreadLocals();
    }

    /** Tells the client's channel to close at once; {@link #closeTogether} waits for it when the application stops. */
    @Override
    public void closeSoon(ConnectionSettings settings, MilvusClientV2 client) {
        closeNow(client);
    }

    /**
     * Tells every channel to close at once, then waits for all of them to end together, at most
     * {@link #CLOSE_WAIT_SECONDS} in all, not per client.
     */
    @Override
    public void closeTogether(List<Map.Entry<ConnectionSettings, MilvusClientV2>> clients) {
        clients.forEach(open -> {
            release(open.getValue());
            closeNow(open.getValue());
        });
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(CLOSE_WAIT_SECONDS);
        for (Map.Entry<ConnectionSettings, MilvusClientV2> open : clients) {
            ConnectionSettings settings = open.getKey();
            try {
                ManagedChannel channel = MilvusSdk.channel(open.getValue());
                long left = Math.max(0, deadline - System.nanoTime());
                if (channel == null || channel.awaitTermination(left, TimeUnit.NANOSECONDS)) {
                    CloseLog.log(
                            Level.INFO,
                            null,
                            "Closed Milvus connection '" + settings.alias() + "' to " + settings.address());
                } else {
                    CloseLog.log(
                            Level.WARNING,
                            null,
                            "Milvus connection '" + settings.alias() + "' to "
                                    + settings.address() + " did not end within " + CLOSE_WAIT_SECONDS
                                    + " s after it was "
                                    + "closed");
                }
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                CloseLog.log(
                        Level.WARNING,
                        null,
                        "Interrupted while closing Milvus connection '" + settings.alias() + "' to "
                                + settings.address());
            } catch (RuntimeException failed) {
                CloseLog.log(
                        Level.WARNING,
                        failed,
                        "Closing Milvus connection '" + settings.alias() + "' to " + settings.address() + " failed");
            }
        }
    }

    /** Builds and connects a client; blocks up to twice the alias's {@code connect-timeout}. */
    @Override
    public MilvusClientV2 open(ConnectionSettings settings) {
        synchronized (this) {
            if (stopping) {
                throw AliasConnection.stopping(settings.alias());
            }
            opening++;
        }
        try {
            return openCounted(settings);
        } finally {
            synchronized (this) {
                opening--;
                notifyAll();
            }
        }
    }

    private MilvusClientV2 openCounted(ConnectionSettings settings) {
        ConnectConfig.ConnectConfigBuilder builder = ConnectConfigs.connectConfig(settings);
        customizer.customize(settings.alias(), builder);
        ConnectConfig config = builder.build();
        if (ConnectConfigs.isGlobalCluster(config)) {
            // the configuration refuses such a host; only an application's adjustment can get here
            throw new IllegalArgumentException("Milvus alias '" + settings.alias() + "': the uri set by an observer "
                    + "of ConfiguringMilvusClient is a Zilliz Cloud global-cluster endpoint, which Milvus CDI does not "
                    + "support yet (the SDK would fetch its topology outside connect-timeout and, on failover, drop "
                    + "the bound and tracing of every call); set the endpoint of one cluster instead");
        }
        if (settings.hasCredentials() && !settings.secure() && warnedPlaintext.add(settings.alias())) {
            LOG.warning(() -> "Milvus alias '" + settings.alias() + "' sends credentials to " + settings.address()
                    + " unencrypted (plain http): use an https:// uri or set "
                    + io.github.milvuscdi.internal.config.ConnectionKey.SECURE.fullKey(settings.alias())
                    + "=true when the server offers TLS");
        }
        long started = System.nanoTime();
        MilvusClientV2 client = MilvusSdk.unconnectedClient();
        String standIn = null;
        if (!ConnectConfigs.sdkReads(config.getUri())) {
            resolvedAddress(settings); // fails at once, saying so, when the name does not resolve now
            // gRPC resolves the name again each time it reconnects: a recreated container's new address is found
            standIn = settings.host();
            config.setUri(ConnectConfigs.scheme(settings) + MilvusSdk.hostStandIn(standIn) + ":" + settings.port());
        } else if (!isAddressLiteral(settings.host())) {
            // A name that does not resolve is known now, and said in one line; left to gRPC, it is
            // retried until connect-timeout, with a stack trace logged per attempt.
            resolvedAddress(settings);
        }
        synchronized (this) {
            if (stopping) {
                if (standIn != null) {
                    MilvusSdk.releaseHost(standIn);
                }
                throw AliasConnection.stopping(settings.alias());
            }
            connecting.add(client); // the application's stop closes its channel: connecting then fails at once
        }
        try {
            credentials.install(settings, client); // credentials that may change are sent per call
            connect(settings, client, config);
        } catch (RuntimeException | Error failed) {
            credentials.release(client);
            if (standIn != null) {
                MilvusSdk.releaseHost(standIn);
            }
            throw failed;
        } finally {
            synchronized (this) {
                connecting.remove(client);
            }
        }
        if (standIn != null) {
            standIns.put(client, standIn);
        }
        try {
            client.retryConfig(ConnectConfigs.retryConfig(settings));
            Availability availability = new Availability(settings);
            MilvusSdk.boundReadyWait(
                    client,
                    settings.connectTimeout().toMillis(),
                    availability.failure(),
                    timer(settings.alias()),
                    () -> availability.unavailable(() -> ConnectFailures.permanentCause(settings, client)),
                    availability::available);
        } catch (RuntimeException | Error failed) {
            release(client);
            closeQuietly(client); // the application stopped meanwhile: no timer for it any more
            throw failed;
        }
        if (!settings.retry().unsafeWrites()) {
            MilvusSdk.guardUnsafeWrites(
                    client,
                    settings.alias(),
                    settings.address(),
                    io.github.milvuscdi.internal.config.ConnectionKey.RETRY_UNSAFE_WRITES.fullKey(settings.alias()));
        }
        MilvusSdk.afterEveryConnect(client, () -> decorate(settings, client));
        if (settings.collections().load()) {
            CollectionLoader.start(client, settings);
        }
        MilvusSdk.switchDatabasesWith(client, database -> switchDatabase(settings, client, config, database));
        long millis = (System.nanoTime() - started) / 1_000_000;
        LOG.info(() -> "Opened Milvus connection '" + settings.alias() + "' to " + settings.address()
                + (settings.secure() ? " (TLS)" : "") + " in " + millis + " ms");
        return client;
    }

    /**
     * Connects a client through the SDK's connect steps, within twice the alias's connect-timeout: first, and
     * again when {@code useDatabase} switches the database of a client not shared. Closes the client when it
     * fails.
     *
     * @throws ConnectFailure saying why, in the user's terms
     */
    private void connect(ConnectionSettings settings, MilvusClientV2 client, ConnectConfig config) {
        java.nio.file.Path jvmTrust = null;
        if (ConnectConfigs.trustsJvmStoreUnderOtherName(settings, config)) {
            jvmTrust = ConnectConfigs.jvmTrustedCertificates();
            config.setServerPemPath(jvmTrust.toString());
        }
        // The SDK bounds Connect by connect-timeout but checks a configured database with no
        // deadline: a server that accepts the call and never answers would hold this thread for
        // ever. Past twice the timeout the client is closed, which ends the call.
        long bound = 2 * settings.connectTimeout().toMillis();
        AtomicBoolean expired = new AtomicBoolean();
        // Our own timer, not CompletableFuture.orTimeout: that one runs on a JDK-wide thread
        // started on first use, which keeps the context class loader of whoever started it (an
        // application's, pinned after its undeploy); ours ends when the registry closes.
        // The task only tells the channel to close: waiting for it here would hold the one timer
        // thread, and every alias's bounds with it.
        Future<?> connected = timer(settings.alias())
                .schedule(
                        () -> {
                            expired.set(true);
                            closeNow(client);
                        },
                        bound,
                        TimeUnit.MILLISECONDS);
        // Failures that waiting cannot cure (TLS on one side, not gRPC) end the wait at once.
        ConnectWatch watch = ConnectWatch.start(client, settings, timer(settings.alias()), () -> closeNow(client));
        try {
            MilvusSdk.connect(client, config);
        } catch (IllegalStateException unsupported) {
            closeQuietly(client);
            throw unsupported;
        } catch (RuntimeException failed) {
            closeQuietly(client);
            if (watch.permanentFailure() != null) {
                throw cannotConnect(settings, failed, watch.permanentFailure(), watch.explanation());
            }
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
            watch.stop();
            connected.cancel(false);
            if (jvmTrust != null) {
                // read when the channel was built; written again for the next connect (useDatabase)
                config.setServerPemPath(null);
                try {
                    java.nio.file.Files.deleteIfExists(jvmTrust);
                } catch (java.io.IOException ignored) {
                    jvmTrust.toFile().deleteOnExit();
                }
            }
        }
        if (watch.permanentFailure() != null) {
            // Connected just as the watch closed the client: a closed client is never handed out.
            closeQuietly(client);
            throw cannotConnect(
                    settings,
                    new IllegalStateException("closed while connecting"),
                    watch.permanentFailure(),
                    watch.explanation());
        }
        if (expired.get()) {
            // Connected just as the bound passed, and the timer's close may already have run: a
            // closed client must never be handed out, so close it (again) and fail.
            closeQuietly(client);
            throw unanswered(settings, config.getDbName(), bound, null);
        }
    }

    /**
     * {@code useDatabase} on a client not shared (an alias added at run time): checks on the current connection,
     * within connect-timeout, that the database exists, so that a wrong name leaves the client as it was; then
     * connects again as {@link #open} did (bounded, the JVM's trust written again, the host resolved again). The
     * bound, the guard of unsafe writes and tracing are installed again after it by the client.
     */
    private void switchDatabase(ConnectionSettings settings, MilvusClientV2 client, ConnectConfig config, String db) {
        if (db == null) {
            throw new IllegalArgumentException("dbName cannot be null");
        }
        String cannot = "Milvus alias '" + settings.alias() + "': cannot switch to database '" + db + "': ";
        io.milvus.grpc.ListDatabasesResponse databases;
        try {
            databases = MilvusSdk.blockingStub(client)
                    .withDeadlineAfter(settings.connectTimeout().toMillis(), TimeUnit.MILLISECONDS)
                    .listDatabases(io.milvus.grpc.ListDatabasesRequest.getDefaultInstance());
        } catch (StatusRuntimeException failed) {
            String why = failed.getStatus().getCode() == io.milvus.shaded.io.grpc.Status.Code.DEADLINE_EXCEEDED
                    ? settings.address() + " did not list its databases within connect-timeout ("
                            + settings.connectTimeout().toMillis() + " ms)"
                    : "listing the databases of " + settings.address() + " failed (" + failed.getStatus() + ")";
            throw new io.github.milvuscdi.MilvusConnectionException(
                    settings.alias(), cannot + why + "; the connection is unchanged", failed);
        }
        if (databases.getStatus().getCode() != 0) {
            throw new io.github.milvuscdi.MilvusConnectionException(
                    settings.alias(),
                    cannot + settings.address() + " refused to list its databases ("
                            + databases.getStatus().getReason() + "); the connection is unchanged",
                    null);
        }
        if (!databases.getDbNamesList().contains(db)) {
            throw new IllegalArgumentException("Milvus alias '" + settings.alias() + "': database '" + db
                    + "' does not exist on " + settings.address() + "; the connection is unchanged");
        }
        config.setDbName(db);
        connect(settings, client, config);
    }

    /** A client that cannot be decorated still serves: telemetry is not worth an outage. */
    private void decorate(ConnectionSettings settings, MilvusClientV2 client) {
        try {
            decorator.decorate(settings, client);
        } catch (RuntimeException failed) {
            LOG.log(
                    Level.WARNING,
                    failed,
                    () -> "Milvus alias '" + settings.alias() + "': its calls will not be traced: " + failed);
        }
    }

    /** Says so in the log, even while the JVM shuts down: see {@link CloseLog}. */
    @Override
    public void close(ConnectionSettings settings, MilvusClientV2 client) {
        release(client);
        try {
            MilvusSdk.close(client, CLOSE_WAIT_SECONDS);
            CloseLog.log(
                    Level.INFO, null, "Closed Milvus connection '" + settings.alias() + "' to " + settings.address());
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            CloseLog.log(
                    Level.WARNING,
                    null,
                    "Interrupted while closing Milvus connection '" + settings.alias() + "' to " + settings.address());
        } catch (RuntimeException failed) {
            CloseLog.log(
                    Level.WARNING,
                    failed,
                    "Closing Milvus connection '" + settings.alias() + "' to " + settings.address() + " failed");
        }
    }

    /**
     * The one timer of this factory, a daemon thread that ends when idle and when the registry closes;
     * it has no context class loader, so it pins no application's.
     */
    private synchronized ScheduledExecutorService timer(String alias) {
        if (stopping && timer == null) {
            throw AliasConnection.stopping(alias); // once ended, never started again by a late attempt
        }
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

    /** Gives back the stand-in name a client's channel resolved its host through, if any. */
    private void release(MilvusClientV2 client) {
        credentials.release(client);
        String standIn = standIns.remove(client);
        if (standIn != null) {
            MilvusSdk.releaseHost(standIn);
        }
    }

    /** Tells a client's channel to close, without waiting for it to end. */
    private static void closeNow(MilvusClientV2 client) {
        try {
            MilvusSdk.close(client, 0);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException ignored) {
            // closing is all that is asked; a failure of the connection is reported where it happens
        }
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
    private static ConnectFailure unanswered(
            ConnectionSettings settings, String database, long bound, Throwable sdkFailure) {
        String detail = "the server accepted the connection but gave no answer within " + bound
                + " ms (twice connect-timeout)"
                + (database == null ? "" : " while the SDK checked that database '" + database + "' exists");
        return new ConnectFailure(
                settings.alias(),
                ConnectFailure.Kind.NO_ANSWER,
                cannotConnectTo(settings) + detail,
                "cannot connect: " + detail,
                sdkFailure);
    }

    /** The address the SDK can read for a host name it cannot: resolved within connect-timeout. */
    private static String resolvedAddress(ConnectionSettings settings) {
        String why;
        Throwable cause;
        try {
            return ConnectConfigs.resolvedAddress(settings, settings.connectTimeout());
        } catch (java.net.UnknownHostException unknown) {
            String text = ConnectFailures.unknownHost(settings).text();
            throw new ConnectFailure(
                    settings.alias(),
                    ConnectFailure.Kind.UNKNOWN_HOST,
                    cannotConnectTo(settings) + text,
                    "cannot connect: " + text,
                    unknown);
        } catch (java.util.concurrent.TimeoutException slow) {
            why = "the host name '" + settings.host() + "' did not resolve within connect-timeout";
            cause = slow;
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            why = "interrupted while resolving the host name '" + settings.host() + "'";
            cause = interrupted;
        }
        throw new ConnectFailure(
                settings.alias(),
                ConnectFailure.Kind.UNREACHABLE,
                cannotConnectTo(settings) + why,
                "cannot connect: " + why,
                cause);
    }

    /** An IPv4 or IPv6 literal: nothing to resolve. */
    private static boolean isAddressLiteral(String host) {
        return host.indexOf(':') >= 0 || host.matches("[0-9.]+");
    }

    private static String cannotConnectTo(ConnectionSettings settings) {
        return "Milvus alias '" + settings.alias() + "': cannot connect to " + settings.address()
                + (settings.secure() ? " over TLS" : "") + " (connect-timeout "
                + settings.connectTimeout().toMillis()
                + " ms): ";
    }

    private static ConnectFailure cannotConnect(
            ConnectionSettings settings, Throwable sdkFailure, StatusRuntimeException transportFailure) {
        return cannotConnect(settings, sdkFailure, transportFailure, null);
    }

    private static ConnectFailure cannotConnect(
            ConnectionSettings settings,
            Throwable sdkFailure,
            StatusRuntimeException transportFailure,
            ConnectFailures.Explanation known) {
        Throwable telling = transportFailure != null ? transportFailure : sdkFailure;
        ConnectFailures.Explanation why = ConnectFailures.explain(settings, telling, known);
        ConnectFailure failure = new ConnectFailure(
                settings.alias(),
                why.kind(),
                cannotConnectTo(settings) + why.text(),
                "cannot connect: " + why.text(),
                telling);
        if (transportFailure != null) {
            failure.addSuppressed(sdkFailure);
        }
        return failure;
    }
}
