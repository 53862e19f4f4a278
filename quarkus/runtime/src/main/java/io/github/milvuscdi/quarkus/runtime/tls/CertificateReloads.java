package io.github.milvuscdi.quarkus.runtime.tls;

import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Logger;

/**
 * Decides, at each reload of Quarkus's TLS registry, whether an alias reconnects. Quarkus reloads a configuration
 * at every {@code reload-period} and fires {@code CertificateUpdatedEvent} whether or not its files changed (its
 * {@code reload()} answers {@code true} whenever they could be read), on a Vert.x worker thread, one per period
 * even while the previous one still runs. So an alias reconnects only when the certificates differ from those it
 * last connected with, one reconnect at a time; a reconnect that fails is tried again at the next reload (the
 * server may have been down, or may move to the new certificates later), with one WARNING per content.
 *
 * <p>Thread-safe.
 */
final class CertificateReloads {

    private static final Logger LOG = Logger.getLogger(TlsRegistryCertificates.class.getName());

    /** The digest of the certificates each alias was last written for a connect. */
    private final Map<String, byte[]> connectedWith = new ConcurrentHashMap<>();
    /** The digest of the certificates each alias last failed to reconnect with and warned about. */
    private final Map<String, byte[]> warnedAbout = new ConcurrentHashMap<>();

    private final ReentrantLock reconnecting = new ReentrantLock();

    /** An alias connects, or reconnects, with these certificates. */
    void connecting(String alias, byte[] digest) {
        connectedWith.put(alias, digest);
    }

    /**
     * Reconnects an alias when its configuration's certificates are not those it connected with; does nothing
     * while another reconnect runs (the next reload checks again).
     *
     * @param alias the alias
     * @param name the TLS configuration's name
     * @param digest the digest of the configuration's certificates now
     * @param reconnect reconnects the open alias (calling {@link #connecting}); throws when it cannot
     */
    void reloaded(String alias, String name, byte[] digest, Runnable reconnect) {
        if (Arrays.equals(connectedWith.get(alias), digest) || !reconnecting.tryLock()) {
            return;
        }
        try {
            byte[] before = connectedWith.get(alias);
            if (Arrays.equals(before, digest)) {
                return;
            }
            if (!Arrays.equals(warnedAbout.get(alias), digest)) {
                LOG.info(() -> "Milvus alias '" + alias + "': the certificates of TLS configuration '" + name
                        + "' changed; reconnecting with them");
            }
            try {
                reconnect.run();
                warnedAbout.remove(alias);
            } catch (RuntimeException failed) {
                restore(alias, before);
                if (!Arrays.equals(warnedAbout.put(alias, digest), digest)) {
                    LOG.warning(() -> "Milvus alias '" + alias + "': connecting with the reloaded TLS configuration '"
                            + name + "' failed; the connection keeps the former certificates and tries again at the"
                            + " next reload: " + failed.getMessage());
                }
            }
        } finally {
            reconnecting.unlock();
        }
    }

    private void restore(String alias, byte[] before) {
        if (before == null) {
            connectedWith.remove(alias);
        } else {
            connectedWith.put(alias, before);
        }
    }
}
