package io.github.milvuscdi.internal.config;

import java.util.Arrays;
import java.util.Optional;

/**
 * The keys accepted under {@code milvus.connections.<alias>.}; the configuration table of docs/configuration.md
 * lists exactly these (a test checks it).
 */
public enum ConnectionKey {
    /** {@code http[s]://[user:password@]host[:port][/db]}. */
    URI("uri", false),
    /** {@code host:port}. */
    ADDRESS("address", false),
    /** Host name or IP; default {@code localhost}. */
    HOST("host", false),
    /** Port 1–65535; default 19530. */
    PORT("port", false),
    /** User name; needs {@link #PASSWORD}. */
    USER("user", false),
    /** Password; never shown. */
    PASSWORD("password", true),
    /** API key or {@code user:password}; wins over user/password; never shown. */
    TOKEN("token", true),
    /** Database name. */
    DB_NAME("db-name", false),
    /** TLS on/off. */
    SECURE("secure", false),
    /** One-way TLS: trust this server certificate. */
    SERVER_PEM_PATH("server-pem-path", false),
    /** Mutual TLS: the CA that signed the server certificate. */
    CA_PEM_PATH("ca-pem-path", false),
    /** Mutual TLS: this client's certificate. */
    CLIENT_PEM_PATH("client-pem-path", false),
    /** Mutual TLS: this client's private key. */
    CLIENT_KEY_PATH("client-key-path", false),
    /** TLS authority / SNI override. */
    SERVER_NAME("server-name", false),
    /** Bound on connecting; default 10s. */
    CONNECT_TIMEOUT("connect-timeout", false),
    /** Connect while the application starts and fail the deployment if that fails. */
    CONNECT_ON_STARTUP("connect-on-startup", false),
    /** gRPC keep-alive ping interval. */
    KEEP_ALIVE_TIME("keep-alive-time", false),
    /** gRPC keep-alive ping timeout. */
    KEEP_ALIVE_TIMEOUT("keep-alive-timeout", false),
    /** Send keep-alive pings while no call is active. */
    KEEP_ALIVE_WITHOUT_CALLS("keep-alive-without-calls", false),
    /** Idle time after which the channel goes idle. */
    IDLE_TIMEOUT("idle-timeout", false),
    /** Deadline of every RPC; 0 means none. */
    RPC_DEADLINE("rpc-deadline", false),
    /** Attempts per call in all, the first included; default 10. */
    RETRY_MAX_ATTEMPTS("retry.max-attempts", false),
    /** Overall cap on retrying one call; default 30s. */
    RETRY_MAX_TIME("retry.max-time", false),
    /** First pause between attempts; default 10ms. */
    RETRY_INITIAL_BACKOFF("retry.initial-backoff", false),
    /** Longest pause between attempts; default 3s. */
    RETRY_MAX_BACKOFF("retry.max-backoff", false),
    /** Growth of the pause, a whole number; default 3. */
    RETRY_BACKOFF_MULTIPLIER("retry.backoff-multiplier", false),
    /** Retry Milvus's rate-limit error; default true. */
    RETRY_ON_RATE_LIMIT("retry.on-rate-limit", false),
    /** Include this alias in the readiness check; default true. */
    HEALTH_ENABLED("health.enabled", false),
    /** Collections readiness requires loaded, comma-separated; default none. */
    HEALTH_COLLECTIONS("health.collections", false),
    /** Load the listed collections that are not loaded, on connecting and after an outage; default false. */
    COLLECTIONS_LOAD("collections.load", false),
    /** Trace and time this alias's calls through OpenTelemetry; default {@code milvus.telemetry.enabled}. */
    TELEMETRY_ENABLED("telemetry.enabled", false),
    /** Record filter expressions in spans ({@code db.query.text}); default false. */
    TELEMETRY_RECORD_FILTERS("telemetry.record-filters", false);

    private final String key;
    private final boolean secret;

    ConnectionKey(String key, boolean secret) {
        this.key = key;
        this.secret = secret;
    }

    /**
     * Returns the key as written after {@code milvus.connections.<alias>.}.
     *
     * @return e.g. {@code "db-name"}
     */
    public String key() {
        return key;
    }

    /**
     * Returns the full property name for one alias.
     *
     * @param alias the alias
     * @return e.g. {@code "milvus.connections.search.uri"}
     */
    public String fullKey(String alias) {
        return AliasDiscovery.PREFIX + alias + "." + key;
    }

    /**
     * Tells whether values of this key are secrets that must never be shown.
     *
     * @return {@code true} for password and token
     */
    public boolean isSecret() {
        return secret;
    }

    /**
     * Finds the constant for a key as written in configuration.
     *
     * @param key e.g. {@code "uri"}
     * @return the constant, or empty when the key is unknown
     */
    public static Optional<ConnectionKey> of(String key) {
        return Arrays.stream(values()).filter(k -> k.key.equals(key)).findFirst();
    }
}
