package io.github.milvuscdi.internal.health;

import io.github.milvuscdi.internal.client.CollectionStates;
import io.github.milvuscdi.internal.config.ConnectionSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What one probe found about one alias, and how the readiness check shows it: one line per alias,
 * for instance {@code UP 127.0.0.1:19530 db=default version=v2.6.3 latency=3ms} or
 * {@code DOWN 127.0.0.1:19531 db=default latency=1ms reason=UNAVAILABLE: io exception (Connection refused)}.
 *
 * <p>Holds no secret: reasons are built from our messages and the transport's, which never quote credentials.
 *
 * @param alias the alias
 * @param state up, connecting in the background, or down
 * @param settings where the alias connects; {@code null} when its configuration is invalid
 * @param version the server's version when up, else {@code null}
 * @param latencyMillis how long the probe took, or -1 when it had not finished
 * @param reason why the alias is down, one line; {@code null} when up
 * @param collections the state of each collection listed in {@code health.collections}, in that order;
 *        empty when none is listed or the server was not reached
 */
record AliasHealth(
        String alias,
        State state,
        ConnectionSettings settings,
        String version,
        long latencyMillis,
        String reason,
        Map<String, CollectionStates.Found> collections) {

    /** The same without collections: what the probes of aliases that list none find. */
    AliasHealth(
            String alias, State state, ConnectionSettings settings, String version, long latencyMillis, String reason) {
        this(alias, state, settings, version, latencyMillis, reason, Map.of());
    }

    /**
     * This result with the state of the alias's collections: still up when every one is loaded, else
     * down, with the server's version kept and the collections that are not ready as the reason.
     *
     * @param found what {@link CollectionStates#ask} found, in the configured order
     * @return the result with the collections
     */
    AliasHealth withCollections(Map<String, CollectionStates.Found> found) {
        List<String> notReady = new ArrayList<>();
        found.forEach((name, state) -> {
            if (state.state() != CollectionStates.State.LOADED) {
                notReady.add(name + " " + state.describe());
            }
        });
        if (notReady.isEmpty()) {
            return new AliasHealth(alias, state, settings, version, latencyMillis, reason, found);
        }
        return new AliasHealth(
                alias,
                State.DOWN,
                settings,
                version,
                latencyMillis,
                "collections not ready: " + String.join(", ", notReady),
                found);
    }

    /** Where an alias stands. */
    enum State {
        /** The server answered and says it is healthy. */
        UP,
        /** Never used before: connecting in the background. */
        CONNECTING,
        /** Unreachable, unhealthy, or not answering. */
        DOWN
    }

    /** The database Milvus uses when none is configured. */
    static final String DEFAULT_DATABASE = "default";

    static AliasHealth up(String alias, ConnectionSettings settings, String version, long latencyMillis) {
        return new AliasHealth(alias, State.UP, settings, version, latencyMillis, null);
    }

    static AliasHealth connecting(String alias, ConnectionSettings settings, String reason) {
        return new AliasHealth(alias, State.CONNECTING, settings, null, -1, reason);
    }

    static AliasHealth down(String alias, ConnectionSettings settings, long latencyMillis, String reason) {
        String oneLine = reason == null || reason.isBlank()
                ? "unknown failure"
                : reason.strip().replaceAll("\\s*\\R\\s*", "; ");
        return new AliasHealth(alias, State.DOWN, settings, null, latencyMillis, oneLine);
    }

    /** @return whether the alias is up */
    boolean up() {
        return state == State.UP;
    }

    /**
     * The value of this alias's entry in the check's data: state, address, {@code tls} when secure,
     * {@code db=}, then {@code version=} when up, {@code latency=} when finished, {@code unreadable-credentials=}
     * (key and path) while the file of changing credentials cannot be read, and {@code reason=}
     * when down, always last so that it may hold spaces.
     *
     * @return one line, never a password or token
     */
    String describe() {
        StringBuilder text = new StringBuilder(up() ? "UP" : "DOWN");
        if (settings != null) {
            text.append(' ').append(settings.address());
            if (settings.secure()) {
                text.append(" tls");
            }
            text.append(" db=").append(settings.databaseName() != null ? settings.databaseName() : DEFAULT_DATABASE);
        }
        if (version != null) {
            text.append(" version=").append(version);
        }
        if (latencyMillis >= 0) {
            text.append(" latency=").append(latencyMillis).append("ms");
        }
        if (!collections.isEmpty()) {
            List<String> each = new ArrayList<>();
            collections.forEach((name, found) -> each.add(name + " " + found.describe()));
            text.append(" collections=[").append(String.join(", ", each)).append(']');
        }
        // the source of credentials that may change cannot be read: the last good value is sent meanwhile
        io.github.milvuscdi.internal.credentials.RotatingCredentials.unreadable(settings)
                .ifPresent(source -> text.append(" unreadable-credentials=").append(source));
        if (reason != null) {
            text.append(" reason=").append(reason);
        }
        return text.toString();
    }
}
