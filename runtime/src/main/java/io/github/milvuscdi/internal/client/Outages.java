package io.github.milvuscdi.internal.client;

import io.github.milvuscdi.internal.config.ConnectionSettings;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Whether an alias's server is in an outage, as the application's calls and the readiness probe
 * find it, so that an outage logs one WARNING when the first of them notices it and one INFO when
 * the first notices its end, not a pair each. Keyed by alias and address: two applications in one
 * JVM share it only with their own copy of this class.
 *
 * <p>Thread-safe.
 */
public final class Outages {

    private static final Map<String, Boolean> DOWN = new ConcurrentHashMap<>();

    private Outages() {}

    /**
     * Records that the alias's server is unavailable.
     *
     * @param settings the alias's settings
     * @return whether this starts an outage: the caller logs it
     */
    public static boolean began(ConnectionSettings settings) {
        return DOWN.put(key(settings), Boolean.TRUE) == null;
    }

    /**
     * Records that the alias's server answers.
     *
     * @param settings the alias's settings
     * @return whether this ends an outage: the caller logs it
     */
    public static boolean ended(ConnectionSettings settings) {
        return DOWN.remove(key(settings)) != null;
    }

    private static String key(ConnectionSettings settings) {
        return settings.alias() + ' ' + settings.address();
    }
}
