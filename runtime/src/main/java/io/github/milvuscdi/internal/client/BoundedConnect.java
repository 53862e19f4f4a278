package io.github.milvuscdi.internal.client;

import io.github.milvuscdi.internal.config.ConnectionSettings;
import io.github.milvuscdi.internal.sdk.MilvusSdk;
import io.milvus.shaded.io.grpc.StatusRuntimeException;
import io.milvus.v2.client.ConnectConfig;
import io.milvus.v2.client.MilvusClientV2;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Connects a client through the SDK's connect steps within twice the alias's {@code connect-timeout},
 * ending at once a failure that waiting cannot cure ({@link ConnectWatch}).
 *
 * <p>Contract: on return the client is connected; otherwise it is closed and a {@link ConnectFailure}
 * says why in the user's terms (an {@link IllegalStateException} when the SDK lacks what this library
 * needs). A client connected just as the bound passed or the watch closed it is never handed out.
 *
 * <p>Stateless and thread-safe.
 */
final class BoundedConnect {

    private BoundedConnect() {}

    /**
     * Connects a client: first, and again when {@code useDatabase} switches the database of a client
     * not shared.
     *
     * @param openings gives the timer that bounds the connect
     * @throws ConnectFailure saying why, in the user's terms
     */
    static void connect(ConnectionSettings settings, MilvusClientV2 client, ConnectConfig config, Openings openings) {
        StorePemFiles storePems;
        try {
            storePems = StorePemFiles.write(settings, config); // the stores as they are now: a reconnect rereads them
        } catch (RuntimeException unusable) {
            ClientClosing.closeQuietly(client);
            throw unusable;
        }
        Path jvmTrust = null;
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
        Future<?> connected = openings.timer(settings.alias())
                .schedule(
                        () -> {
                            expired.set(true);
                            ClientClosing.closeNow(client);
                        },
                        bound,
                        TimeUnit.MILLISECONDS);
        // Failures that waiting cannot cure (TLS on one side, not gRPC) end the wait at once.
        ConnectWatch watch = ConnectWatch.start(
                client, settings, openings.timer(settings.alias()), () -> ClientClosing.closeNow(client));
        try {
            MilvusSdk.connect(client, config);
        } catch (IllegalStateException unsupported) {
            ClientClosing.closeQuietly(client);
            throw unsupported;
        } catch (RuntimeException failed) {
            ClientClosing.closeQuietly(client);
            if (watch.permanentFailure() != null) {
                throw cannotConnect(settings, failed, watch.permanentFailure(), watch.explanation());
            }
            if (expired.get()) {
                throw unanswered(settings, config.getDbName(), bound, failed);
            }
            // The SDK may only say "deadline exceeded": ask the transport why.
            StatusRuntimeException transport = TransportQuestions.transportFailure(config, failed);
            throw cannotConnect(settings, failed, transport, null);
        } catch (Error fatal) {
            ClientClosing.closeQuietly(client);
            throw fatal;
        } catch (Throwable failed) {
            ClientClosing.closeQuietly(client);
            throw cannotConnect(settings, failed, null, null);
        } finally {
            watch.stop();
            connected.cancel(false);
            if (storePems != null) {
                storePems.close();
            }
            if (jvmTrust != null) {
                // read when the channel was built; written again for the next connect (useDatabase)
                config.setServerPemPath(null);
                try {
                    Files.deleteIfExists(jvmTrust);
                } catch (IOException ignored) {
                    jvmTrust.toFile().deleteOnExit();
                }
            }
        }
        if (watch.permanentFailure() != null) {
            // Connected just as the watch closed the client: a closed client is never handed out.
            ClientClosing.closeQuietly(client);
            throw cannotConnect(
                    settings,
                    new IllegalStateException("closed while connecting"),
                    watch.permanentFailure(),
                    watch.explanation());
        }
        if (expired.get()) {
            // Connected just as the bound passed, and the timer's close may already have run: a
            // closed client must never be handed out, so close it (again) and fail.
            ClientClosing.closeQuietly(client);
            throw unanswered(settings, config.getDbName(), bound, null);
        }
    }

    private static ConnectFailure unanswered(
            ConnectionSettings settings, String database, long bound, Throwable sdkFailure) {
        String detail = "the server accepted the connection but gave no answer within " + bound
                + " ms (twice connect-timeout)"
                + (database == null ? "" : " while the SDK checked that database '" + database + "' exists");
        return ConnectFailure.of(settings, ConnectFailure.Kind.NO_ANSWER, detail, sdkFailure);
    }

    /**
     * The transport's failure, when a second attempt told one, becomes the cause, so that the
     * readiness check reports it too; the SDK's is then suppressed.
     */
    private static ConnectFailure cannotConnect(
            ConnectionSettings settings,
            Throwable sdkFailure,
            StatusRuntimeException transportFailure,
            ConnectFailureExplainer.Explanation known) {
        Throwable telling = transportFailure != null ? transportFailure : sdkFailure;
        ConnectFailureExplainer.Explanation why = ConnectFailureExplainer.explain(settings, telling, known);
        ConnectFailure failure = ConnectFailure.of(settings, why.kind(), why.text(), telling);
        if (transportFailure != null) {
            failure.addSuppressed(sdkFailure);
        }
        return failure;
    }
}
