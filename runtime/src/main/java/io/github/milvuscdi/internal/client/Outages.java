package io.github.milvuscdi.internal.client;

import io.github.milvuscdi.internal.config.ConnectionSettings;
import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Whether an alias's server is in an outage, as the application's calls and the readiness probe
 * find it, so that an outage logs one WARNING when the first of them notices it and one INFO when
 * the first notices its end, not a pair each.
 *
 * <p>Keyed by the very {@link ConnectionSettings} the registry hands to both (one instance per alias
 * and container, read once): another container, even with equal settings, has its own state, and
 * the state goes with the settings when the container is gone.
 *
 * <p>Thread-safe.
 */
public final class Outages {

    private static final Map<Key, Boolean> DOWN = new ConcurrentHashMap<>();
    private static final ReferenceQueue<ConnectionSettings> GONE = new ReferenceQueue<>();

    private Outages() {}

    /**
     * Records that the alias's server is unavailable.
     *
     * @param settings the alias's settings, as the registry holds them
     * @return whether this starts an outage: the caller logs it
     */
    public static boolean began(ConnectionSettings settings) {
        expunge();
        return DOWN.put(new Key(settings, GONE), Boolean.TRUE) == null;
    }

    /**
     * Records that the alias's server answers.
     *
     * @param settings the alias's settings, as the registry holds them
     * @return whether this ends an outage: the caller logs it
     */
    public static boolean ended(ConnectionSettings settings) {
        expunge();
        return DOWN.remove(new Key(settings, null)) != null;
    }

    private static void expunge() {
        for (Reference<? extends ConnectionSettings> gone = GONE.poll(); gone != null; gone = GONE.poll()) {
            DOWN.remove(gone);
        }
    }

    /** A weak key equal only to a key of the same settings instance. */
    private static final class Key extends WeakReference<ConnectionSettings> {
        private final int hash;

        Key(ConnectionSettings settings, ReferenceQueue<ConnectionSettings> queue) {
            super(settings, queue);
            this.hash = System.identityHashCode(settings);
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public boolean equals(Object other) {
            if (this == other) {
                return true;
            }
            if (!(other instanceof Key)) {
                return false;
            }
            Object mine = get();
            return mine != null && mine == ((Key) other).get();
        }
    }
}
