package io.github.milvuscdi.internal.client;

import io.github.milvuscdi.internal.config.ConnectionSettings;
import io.github.milvuscdi.internal.sdk.MilvusSdk;
import io.milvus.shaded.io.grpc.StatusRuntimeException;
import io.milvus.v2.client.ConnectConfig;
import io.milvus.v2.client.MilvusClientV2;
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
        ConnectConfig.ConnectConfigBuilder builder = ConnectConfigs.connectConfig(settings);
        customizer.customize(settings.alias(), builder);
        ConnectConfig config = builder.build();
        if (!ConnectConfigs.sdkReads(config.getUri())) {
            config.setUri(ConnectConfigs.scheme(settings) + resolvedAddress(settings));
        } else if (!isAddressLiteral(settings.host())) {
            // A name that does not resolve is known now, and said in one line; left to gRPC, it is
            // retried until connect-timeout, with a stack trace logged per attempt.
            resolvedAddress(settings);
        }
        java.nio.file.Path jvmTrust = null;
        if (ConnectConfigs.trustsJvmStoreUnderOtherName(settings, config)) {
            jvmTrust = ConnectConfigs.jvmTrustedCertificates();
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
        Future<?> connected = timer().schedule(
                        () -> {
                            expired.set(true);
                            closeQuietly(connecting);
                        },
                        bound,
                        TimeUnit.MILLISECONDS);
        // Failures that waiting cannot cure (TLS on one side, not gRPC) end the wait at once.
        ConnectWatch watch = ConnectWatch.start(client, settings, timer(), () -> closeQuietly(connecting));
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
                try {
                    java.nio.file.Files.deleteIfExists(jvmTrust); // read when the channel was built
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
        client.retryConfig(ConnectConfigs.retryConfig(settings));
        Availability availability = new Availability(settings);
        MilvusSdk.boundReadyWait(
                client,
                settings.connectTimeout().toMillis(),
                availability.failure(),
                timer(),
                () -> availability.unavailable(() -> ConnectFailures.permanentCause(settings, client)),
                availability::available);
        decorate(settings, client);
        if (settings.collections().load()) {
            CollectionLoader.start(client, settings);
        }
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
            LOG.log(
                    Level.WARNING,
                    failed,
                    () -> "Milvus alias '" + settings.alias() + "': its calls will not be traced: " + failed);
        }
    }

    /** Says so in the log, even while the JVM shuts down: see {@link CloseLog}. */
    @Override
    public void close(ConnectionSettings settings, MilvusClientV2 client) {
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
