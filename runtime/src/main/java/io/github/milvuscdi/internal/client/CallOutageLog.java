package io.github.milvuscdi.internal.client;

import io.github.milvuscdi.internal.config.ConnectionSettings;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;

/**
 * Whether an alias's server is reachable, as its calls find it: one WARNING when calls start to
 * time out waiting for a usable connection, one INFO when a call gets through again; nothing per call,
 * and nothing when the readiness probe logged the outage first (the alias's {@link Outage}). Thread-safe.
 */
final class CallOutageLog {

    private static final Logger LOG = Logger.getLogger(SdkClientFactory.class.getName());

    private final ConnectionSettings settings;
    private final Outage outage;
    private final AtomicBoolean down = new AtomicBoolean();

    CallOutageLog(ConnectionSettings settings, Outage outage) {
        this.settings = settings;
        this.outage = outage;
    }

    String failure() {
        return "Milvus alias '" + settings.alias() + "': the server at " + settings.address()
                + " is unavailable: no usable connection within connect-timeout ("
                + settings.connectTimeout().toMillis() + " ms); it refuses connections, does not answer, or "
                + "is restarting. The call was not sent";
    }

    /**
     * Logs the outage once; when waiting cannot cure it (the port now answers HTTP/1, TLS on one side only),
     * says that instead of "until it is back".
     *
     * @param permanentCause asked once per outage: what cannot be cured by waiting, or {@code null}
     */
    void unavailable(java.util.function.Supplier<String> permanentCause) {
        if (down.compareAndSet(false, true) && outage.began()) {
            String cause = permanentCause.get();
            LOG.warning(() -> "Milvus alias '" + settings.alias() + "': the server at " + settings.address()
                    + " is unavailable; calls fail after waiting connect-timeout ("
                    + settings.connectTimeout().toMillis() + " ms) for a usable connection, "
                    + (cause == null ? "until it is back" : "and waiting will not help: " + cause));
        }
    }

    void available() {
        if (down.compareAndSet(true, false) && outage.ended()) {
            LOG.info(() -> "Milvus alias '" + settings.alias() + "': the server at " + settings.address()
                    + " is available again");
        }
    }
}
