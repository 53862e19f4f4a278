package io.github.milvuscdi.internal.client;

import io.github.milvuscdi.MilvusCredentialsProvider;
import io.github.milvuscdi.internal.config.ConnectionKey;
import io.github.milvuscdi.internal.config.ConnectionSettings;
import io.github.milvuscdi.internal.sdk.MilvusSdk;
import io.github.milvuscdi.internal.sdk.SdkCleanup;
import io.milvus.v2.client.ConnectConfig;
import io.milvus.v2.client.MilvusClientV2;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Opens and closes the SDK's clients, top to bottom: the alias's settings become the SDK's
 * configuration ({@link ConnectConfigs}), the application adjusts it, the host is checked
 * ({@link ClientHosts}), the client connects within a bound ({@link BoundedConnect}), then its calls
 * get their bounds, guards and tracing. Stopping and closing are {@link Openings} and
 * {@link ClientClosing}.
 *
 * <p>The SDK's constructor opens a gRPC channel and then blocks on a {@code Connect} RPC; when that
 * fails, the exception leaves the channel open with no reference to close it. So a client is built
 * empty and connected through the SDK's own connect steps ({@link MilvusSdk#connect}), which lets a
 * failed connection be closed.
 *
 * <p>Its logger is the one every class of client lifecycle logs to. Thread-safe.
 */
public final class SdkClientFactory implements ClientFactory {

    private static final Logger LOG = Logger.getLogger(SdkClientFactory.class.getName());

    private final ConnectConfigCustomizer customizer;
    private final ClientDecorator decorator;
    private final ClientCredentials credentials;
    private final Set<String> warnedPlaintext = ConcurrentHashMap.newKeySet();
    private final Openings openings = new Openings();
    private final ClientHosts hosts = new ClientHosts();
    /** Reconnects the clients whose certificate files change. */
    private final CertificateRenewal renewal = new CertificateRenewal(this::renew);

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
     * @param providers finds a {@code @Named} {@link MilvusCredentialsProvider} by name; returns {@code null} or
     *     throws when there is none
     */
    public SdkClientFactory(
            ConnectConfigCustomizer customizer,
            ClientDecorator decorator,
            Function<String, MilvusCredentialsProvider> providers) {
        this.customizer = customizer;
        this.decorator = decorator;
        this.credentials = new ClientCredentials(providers);
    }

    /** Ends the timer; waits for nothing else: other clients of the SDK may be open. */
    @Override
    public void closedAll() {
        openings.endTimer();
        renewal.stop();
        credentials.closedAll();
        SdkCleanup.removeThreadLocals(); // closing ran Netty code on this thread too
    }

    /**
     * Refuses opens from now on, tells the channel of every open under way to close at once (its
     * connect then fails), and waits for those opens to return, at most {@link Openings#STOP_WAIT}.
     */
    @Override
    public void stopOpening() {
        renewal.stop();
        openings.stop();
    }

    /** Waits, bounded, for the SDK's gRPC event loops: the container's stop alone does (see {@code GrpcEventLoops}). */
    @Override
    public void applicationStopped() {
        SdkCleanup.awaitEventLoopsEnd();
        SdkCleanup.removeThreadLocals();
    }

    /** Tells the client's channel to close at once; {@link #closeTogether} waits for it when the application stops. */
    @Override
    public void closeSoon(ConnectionSettings settings, MilvusClientV2 client) {
        renewal.forget(client);
        ClientClosing.closeNow(client);
    }

    /** Tells every channel to close at once, then waits for all of them together: see {@link ClientClosing}. */
    @Override
    public void closeTogether(List<Map.Entry<ConnectionSettings, MilvusClientV2>> clients) {
        clients.forEach(open -> {
            renewal.forget(open.getValue());
            credentials.release(open.getValue());
            hosts.release(open.getValue());
        });
        ClientClosing.closeTogether(clients);
    }

    /** Says so in the log, even while the JVM shuts down: see {@link CloseLog}. */
    @Override
    public void close(ConnectionSettings settings, MilvusClientV2 client) {
        renewal.forget(client);
        credentials.release(client);
        hosts.release(client);
        ClientClosing.close(settings, client);
    }

    /** Builds and connects a client with an outage state of its own; see {@link #open(ConnectionSettings, Outage)}. */
    @Override
    public MilvusClientV2 open(ConnectionSettings settings) {
        return open(settings, new Outage());
    }

    /** Builds and connects a client; blocks up to twice the alias's {@code connect-timeout}. */
    @Override
    public MilvusClientV2 open(ConnectionSettings settings, Outage outage) {
        openings.enter(settings.alias());
        try {
            MilvusClientV2 client = openCounted(settings, outage);
            renewal.watch(settings, client);
            return client;
        } finally {
            openings.exit();
        }
    }

    private MilvusClientV2 openCounted(ConnectionSettings settings, Outage outage) {
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
                    + ConnectionKey.SECURE.fullKey(settings.alias()) + "=true when the server offers TLS");
        }
        long started = System.nanoTime();
        MilvusClientV2 client = MilvusSdk.unconnectedClient();
        String standIn = ClientHosts.prepare(settings, config);
        if (!openings.connecting(client)) { // the application's stop closes its channel: connecting then fails at once
            ClientHosts.giveBack(standIn);
            throw AliasConnection.stopping(settings.alias());
        }
        ClientDecorator.Connecting traced = decorator.connecting(settings);
        try {
            credentials.install(settings, client); // credentials that may change are sent per call
            BoundedConnect.connect(settings, client, config, openings);
            traced.ended(null);
        } catch (RuntimeException | Error failed) {
            traced.ended(failed);
            credentials.release(client);
            ClientHosts.giveBack(standIn);
            throw failed;
        } finally {
            openings.connectEnded(client);
        }
        hosts.keep(client, standIn);
        try {
            client.retryConfig(ConnectConfigs.retryConfig(settings));
            CallOutageLog outageLog = new CallOutageLog(settings, outage);
            MilvusSdk.boundReadyWait(
                    client,
                    settings.connectTimeout().toMillis(),
                    outageLog.failure(),
                    openings.timer(settings.alias()),
                    () -> outageLog.unavailable(() -> TransportQuestions.permanentCause(settings, client)),
                    outageLog::available);
        } catch (RuntimeException | Error failed) {
            hosts.release(client);
            ClientClosing.closeQuietly(client); // the application stopped meanwhile: no timer for it any more
            throw failed;
        }
        if (!settings.retry().unsafeWrites()) {
            MilvusSdk.guardUnsafeWrites(
                    client,
                    settings.alias(),
                    settings.address(),
                    ConnectionKey.RETRY_UNSAFE_WRITES.fullKey(settings.alias()));
        }
        MilvusSdk.afterEveryConnect(client, () -> decorate(settings, client));
        if (settings.collections().load()) {
            CollectionLoader.start(client, settings);
        }
        // useDatabase on a client not shared: checked, then connected again as here (bounded, trust and host
        // written again); the bound, the guard of unsafe writes and tracing are installed again by the client
        MilvusSdk.switchDatabasesWith(client, database -> {
            DatabaseCheck.requireExists(settings, client, database);
            config.setDbName(database);
            BoundedConnect.connect(settings, client, config, openings);
        });
        long millis = (System.nanoTime() - started) / 1_000_000;
        LOG.info(() -> "Opened Milvus connection '" + settings.alias() + "' to " + settings.address()
                + (settings.secure() ? " (TLS)" : "") + " in " + millis + " ms");
        return client;
    }

    /**
     * Reconnects a client in use with its certificate files as they are now, without failing its calls: a new
     * connection is opened as {@link #open} does (bounded, failures explained), then handed over
     * ({@link ChannelHandover}). Throws, leaving the client as it was, when the new connection fails.
     */
    @Override
    public void renew(ConnectionSettings settings, MilvusClientV2 client) {
        ConnectConfig.ConnectConfigBuilder builder = ConnectConfigs.connectConfig(settings);
        customizer.customize(settings.alias(), builder);
        ConnectConfig config = builder.build();
        MilvusClientV2 fresh = MilvusSdk.unconnectedClient();
        openings.enter(settings.alias());
        try {
            String standIn = ClientHosts.prepare(settings, config);
            try {
                if (!openings.connecting(fresh)) {
                    return; // the application stops
                }
                try {
                    credentials.sendLike(client, fresh); // the adopted channel sends the client's credentials
                    BoundedConnect.connect(settings, fresh, config, openings);
                } finally {
                    openings.connectEnded(fresh);
                }
                ChannelHandover.handOver(settings, client, fresh, openings.timer(settings.alias()));
            } finally {
                ClientHosts.giveBack(standIn); // the client keeps its own registration of the name
            }
        } finally {
            openings.exit();
        }
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
}
