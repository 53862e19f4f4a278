package io.github.milvuscdi.client;

import io.github.milvuscdi.MilvusConnectionException;
import io.github.milvuscdi.config.ConnectionSettings;
import io.milvus.shaded.io.grpc.StatusRuntimeException;
import io.milvus.v2.client.ConnectConfig;
import io.milvus.v2.client.MilvusClientV2;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * Opens and closes SDK clients, taming what the SDK does on failure.
 *
 * <p>The SDK's constructor opens a gRPC channel and then blocks on a {@code Connect} RPC; when that
 * fails, the exception leaves the channel open with no reference to close it, and gRPC later
 * warns that it "was not shutdown properly". So a client is built empty and connected through the
 * SDK's own (private) connect steps, which lets a failed connection be closed. Should those steps
 * ever be missing, the public constructor is used instead.
 */
final class MilvusClients {

    private static final Logger LOG = Logger.getLogger(MilvusClients.class.getName());
    private static final MethodHandle CONNECT = privateMethod("connect", ConnectConfig.class);
    private static final MethodHandle INIT_SERVICES = privateMethod("initServices", String.class);

    private MilvusClients() {
    }

    /**
     * Builds and connects a client; blocks up to the alias's {@code connect-timeout}.
     *
     * @throws MilvusConnectionException naming alias and address when the server cannot be reached
     */
    static MilvusClientV2 open(ConnectionSettings settings, ConnectConfigCustomizer customizer) {
        ConnectConfig.ConnectConfigBuilder builder = settings.toConnectConfigBuilder();
        customizer.customize(settings.alias(), builder);
        ConnectConfig config = builder.build();
        long started = System.nanoTime();
        MilvusClientV2 client;
        if (CONNECT != null && INIT_SERVICES != null) {
            client = new MilvusClientV2(null);
            // The SDK bounds Connect by connect-timeout but checks a configured database with no
            // deadline: a server that accepts the call and never answers would hold this thread for
            // ever. Past twice the timeout the client is closed, which ends the call.
            long bound = 2 * settings.connectTimeout().toMillis();
            MilvusClientV2 connecting = client;
            AtomicBoolean expired = new AtomicBoolean();
            CompletableFuture<Void> connected = new CompletableFuture<>();
            connected.orTimeout(bound, TimeUnit.MILLISECONDS).exceptionallyAsync(timeout -> {
                expired.set(true);
                closeQuietly(connecting);
                return null;
            });
            try {
                CONNECT.invoke(client, config);
                INIT_SERVICES.invoke(client, config.getDbName());
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
                connected.complete(null);
            }
        } else {
            try {
                client = new MilvusClientV2(config);
            } catch (RuntimeException failed) {
                throw cannotConnect(settings, failed, ConnectFailures.transportFailure(config, failed));
            }
        }
        long millis = (System.nanoTime() - started) / 1_000_000;
        LOG.info(() -> "Opened Milvus connection '" + settings.alias() + "' to " + settings.address()
                + (settings.secure() ? " (TLS)" : "") + " in " + millis + " ms");
        return client;
    }

    /**
     * Closes a client, waiting at most {@code seconds}; never throws. Says so in the log, even while
     * the JVM shuts down: see {@link #logClose}.
     */
    static void close(ConnectionSettings settings, MilvusClientV2 client, long seconds) {
        try {
            client.close(seconds);
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
        record.setSourceClassName(MilvusClients.class.getName());
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

    private static void closeQuietly(MilvusClientV2 client) {
        try {
            client.close(1);
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
    private static MilvusConnectionException unanswered(ConnectionSettings settings, String database, long bound,
            Throwable sdkFailure) {
        return new MilvusConnectionException(settings.alias(), "Milvus alias '" + settings.alias()
                + "': cannot connect to " + settings.address() + (settings.secure() ? " over TLS" : "")
                + " (connect-timeout " + settings.connectTimeout().toMillis() + " ms): the server accepted the "
                + "connection but gave no answer within " + bound + " ms (twice connect-timeout)"
                + (database == null ? "" : " while the SDK checked that database '" + database + "' exists"),
                sdkFailure);
    }

    private static MilvusConnectionException cannotConnect(ConnectionSettings settings, Throwable sdkFailure,
            StatusRuntimeException transportFailure) {
        Throwable telling = transportFailure != null ? transportFailure : sdkFailure;
        MilvusConnectionException failure = new MilvusConnectionException(settings.alias(), "Milvus alias '"
                + settings.alias() + "': cannot connect to " + settings.address() + (settings.secure() ? " over TLS" : "")
                + " (connect-timeout " + settings.connectTimeout().toMillis() + " ms): "
                + ConnectFailures.explain(settings, telling), telling);
        if (transportFailure != null) {
            failure.addSuppressed(sdkFailure);
        }
        return failure;
    }

    /**
     * Finds one of the SDK's private connect steps. A method handle, not {@code getDeclaredMethod}:
     * that one resolves every type in the client's signatures (some 150 request and response
     * classes), which costs tens of milliseconds on the first connection of a JVM.
     */
    private static MethodHandle privateMethod(String name, Class<?> parameter) {
        try {
            return MethodHandles.privateLookupIn(MilvusClientV2.class, MethodHandles.lookup())
                    .findVirtual(MilvusClientV2.class, name, MethodType.methodType(void.class, parameter));
        } catch (NoSuchMethodException | IllegalAccessException | RuntimeException unavailable) {
            LOG.fine(() -> "MilvusClientV2." + name + " is not accessible; using the public constructor");
            return null;
        }
    }
}
