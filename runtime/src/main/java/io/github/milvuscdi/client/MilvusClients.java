package io.github.milvuscdi.client;

import io.github.milvuscdi.MilvusConnectionException;
import io.github.milvuscdi.config.ConnectionSettings;
import io.milvus.v2.client.ConnectConfig;
import io.milvus.v2.client.MilvusClientV2;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.logging.Level;
import java.util.logging.Logger;

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
    private static final Method CONNECT = privateMethod("connect", ConnectConfig.class);
    private static final Method INIT_SERVICES = privateMethod("initServices", String.class);

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
            try {
                CONNECT.invoke(client, config);
                INIT_SERVICES.invoke(client, config.getDbName());
            } catch (InvocationTargetException failed) {
                closeQuietly(client);
                throw cannotConnect(settings, failed.getCause());
            } catch (IllegalAccessException | RuntimeException failed) {
                closeQuietly(client);
                throw cannotConnect(settings, failed);
            }
        } else {
            try {
                client = new MilvusClientV2(config);
            } catch (RuntimeException failed) {
                throw cannotConnect(settings, failed);
            }
        }
        long millis = (System.nanoTime() - started) / 1_000_000;
        LOG.info(() -> "Opened Milvus connection '" + settings.alias() + "' to " + settings.address()
                + (settings.secure() ? " (TLS)" : "") + " in " + millis + " ms");
        return client;
    }

    /** Closes a client, waiting at most {@code seconds}; never throws. */
    static void close(ConnectionSettings settings, MilvusClientV2 client, long seconds) {
        try {
            client.close(seconds);
            LOG.info(() -> "Closed Milvus connection '" + settings.alias() + "' to " + settings.address());
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            LOG.warning(() -> "Interrupted while closing Milvus connection '" + settings.alias() + "' to "
                    + settings.address());
        } catch (RuntimeException failed) {
            LOG.log(Level.WARNING, failed, () -> "Closing Milvus connection '" + settings.alias() + "' to "
                    + settings.address() + " failed");
        }
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

    private static MilvusConnectionException cannotConnect(ConnectionSettings settings, Throwable cause) {
        Throwable root = cause;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String reason = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        if (cause != root && cause.getMessage() != null && !cause.getMessage().equals(reason)) {
            reason = cause.getMessage() + " (" + reason + ")";
        }
        return new MilvusConnectionException(settings.alias(), "Milvus alias '" + settings.alias()
                + "': cannot connect to " + settings.address() + (settings.secure() ? " over TLS" : "")
                + " (connect-timeout " + settings.connectTimeout().toMillis() + " ms): " + reason, cause);
    }

    private static Method privateMethod(String name, Class<?> parameter) {
        try {
            Method method = MilvusClientV2.class.getDeclaredMethod(name, parameter);
            method.setAccessible(true);
            return method;
        } catch (NoSuchMethodException | RuntimeException unavailable) {
            LOG.fine(() -> "MilvusClientV2." + name + " is not accessible; using the public constructor");
            return null;
        }
    }
}
