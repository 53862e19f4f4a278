package io.github.milvuscdi.config;

import io.milvus.v2.client.ConnectConfig;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The validated settings of one Milvus connection, read by {@link ConnectionSettingsReader}.
 *
 * <p>Immutable and thread-safe. Holds the credentials but never shows them: {@link #toString()}
 * only says whether there are any. Two settings are {@link #equals equal} when they would open
 * the same connection, credentials included.
 */
public final class ConnectionSettings {

    private final String alias;
    private final String host;
    private final int port;
    private final boolean secure;
    private final String databaseName;
    private final String user;
    private final String authorization;
    private final String serverPemPath;
    private final String caPemPath;
    private final String clientPemPath;
    private final String clientKeyPath;
    private final String serverName;
    private final Duration connectTimeout;
    private final boolean connectOnStartup;
    private final Duration keepAliveTime;
    private final Duration keepAliveTimeout;
    private final Boolean keepAliveWithoutCalls;
    private final Duration idleTimeout;
    private final Duration rpcDeadline;
    private final boolean healthEnabled;

    ConnectionSettings(Builder b) {
        this.alias = b.alias;
        this.host = b.host;
        this.port = b.port;
        this.secure = b.secure;
        this.databaseName = b.databaseName;
        this.user = b.user;
        this.authorization = b.authorization;
        this.serverPemPath = b.serverPemPath;
        this.caPemPath = b.caPemPath;
        this.clientPemPath = b.clientPemPath;
        this.clientKeyPath = b.clientKeyPath;
        this.serverName = b.serverName;
        this.connectTimeout = b.connectTimeout;
        this.connectOnStartup = b.connectOnStartup;
        this.keepAliveTime = b.keepAliveTime;
        this.keepAliveTimeout = b.keepAliveTimeout;
        this.keepAliveWithoutCalls = b.keepAliveWithoutCalls;
        this.idleTimeout = b.idleTimeout;
        this.rpcDeadline = b.rpcDeadline;
        this.healthEnabled = b.healthEnabled;
    }

    /** @return the alias these settings belong to */
    public String alias() {
        return alias;
    }

    /** @return the host name or IP address, never {@code null} */
    public String host() {
        return host;
    }

    /** @return the port, 1–65535 */
    public int port() {
        return port;
    }

    /** @return {@code host:port}, with brackets around an IPv6 host */
    public String address() {
        return hostForUri() + ":" + port;
    }

    /** @return whether the connection uses TLS */
    public boolean secure() {
        return secure;
    }

    /** @return the database to use; empty means the server's default */
    public Optional<String> databaseName() {
        return Optional.ofNullable(databaseName);
    }

    /** @return the user name, when credentials are a user and password */
    public Optional<String> user() {
        return Optional.ofNullable(user);
    }

    /** @return whether a token or a user and password will be sent */
    public boolean hasCredentials() {
        return authorization != null;
    }

    /**
     * Hides this connection's secrets in a text that might quote them, such as a server's error
     * message shown by the readiness check: the token, or the password, becomes {@code ***}.
     *
     * @param text any text; may be {@code null}
     * @return the text without the secrets; {@code null} when {@code text} is {@code null}
     */
    public String redact(String text) {
        if (text == null || authorization == null) {
            return text;
        }
        String redacted = text.replace(authorization, "***");
        int colon = authorization.indexOf(':');
        if (colon >= 0 && colon < authorization.length() - 1) {
            redacted = redacted.replace(authorization.substring(colon + 1), "***");
        }
        return redacted;
    }

    /** @return whether TLS is on with a client certificate, key and CA: mutual TLS */
    public boolean mutualTls() {
        return secure && clientPemPath != null && clientKeyPath != null && caPemPath != null;
    }

    /** @return the TLS authority the server's certificate must match, when TLS is on */
    public Optional<String> serverName() {
        return Optional.ofNullable(serverName);
    }

    /** @return the bound on connecting */
    public Duration connectTimeout() {
        return connectTimeout;
    }

    /** @return whether the container connects while starting and fails the deployment when it cannot */
    public boolean connectOnStartup() {
        return connectOnStartup;
    }

    /** @return whether the readiness check includes this alias */
    public boolean healthEnabled() {
        return healthEnabled;
    }

    /**
     * Returns a fresh SDK builder for these settings; each client needs its own.
     *
     * <p>Only what is set reaches the SDK: no empty database name (the SDK would call
     * ListDatabases), and with TLS a server name that defaults to the host (the SDK throws
     * {@code NullPointerException: authority} without one when given a server certificate).
     *
     * @return a new builder, never {@code null}
     */
    public ConnectConfig.ConnectConfigBuilder toConnectConfigBuilder() {
        ConnectConfig.ConnectConfigBuilder builder = ConnectConfig.builder()
                .uri((secure ? "https://" : "http://") + address())
                .secure(secure)
                .connectTimeoutMs(connectTimeout.toMillis());
        if (authorization != null) {
            builder.token(authorization);
        }
        if (databaseName != null) {
            builder.dbName(databaseName);
        }
        if (secure) {
            builder.serverName(serverName);
            // The SDK (2.6.22) picks one of three channel kinds: with a server PEM, one-way TLS that
            // trusts that file and sends no client certificate, even if one is given; else with a
            // client certificate, key and CA, mutual TLS; else the JVM's default trust store, where
            // a CA PEM alone is ignored. So mutual TLS gets no server PEM, and a CA PEM alone is
            // what one-way TLS trusts.
            if (clientPemPath != null && clientKeyPath != null && caPemPath != null) {
                builder.caPemPath(caPemPath).clientPemPath(clientPemPath).clientKeyPath(clientKeyPath);
            } else if (serverPemPath != null) {
                builder.serverPemPath(serverPemPath);
            } else if (caPemPath != null) {
                builder.serverPemPath(caPemPath);
            }
        }
        if (keepAliveTime != null) {
            builder.keepAliveTimeMs(keepAliveTime.toMillis());
        }
        if (keepAliveTimeout != null) {
            builder.keepAliveTimeoutMs(keepAliveTimeout.toMillis());
        }
        if (keepAliveWithoutCalls != null) {
            builder.keepAliveWithoutCalls(keepAliveWithoutCalls);
        }
        if (idleTimeout != null) {
            builder.idleTimeoutMs(idleTimeout.toMillis());
        }
        if (rpcDeadline != null) {
            builder.rpcDeadlineMs(rpcDeadline.toMillis());
        }
        return builder;
    }

    private String hostForUri() {
        return host.indexOf(':') >= 0 ? "[" + host + "]" : host;
    }

    @Override
    public boolean equals(Object other) {
        if (this == other) {
            return true;
        }
        if (!(other instanceof ConnectionSettings)) {
            return false;
        }
        ConnectionSettings that = (ConnectionSettings) other;
        return port == that.port && secure == that.secure && connectOnStartup == that.connectOnStartup
                && healthEnabled == that.healthEnabled && alias.equals(that.alias) && host.equals(that.host)
                && Objects.equals(databaseName, that.databaseName) && Objects.equals(user, that.user)
                && Objects.equals(authorization, that.authorization)
                && Objects.equals(serverPemPath, that.serverPemPath) && Objects.equals(caPemPath, that.caPemPath)
                && Objects.equals(clientPemPath, that.clientPemPath)
                && Objects.equals(clientKeyPath, that.clientKeyPath)
                && Objects.equals(serverName, that.serverName) && connectTimeout.equals(that.connectTimeout)
                && Objects.equals(keepAliveTime, that.keepAliveTime)
                && Objects.equals(keepAliveTimeout, that.keepAliveTimeout)
                && Objects.equals(keepAliveWithoutCalls, that.keepAliveWithoutCalls)
                && Objects.equals(idleTimeout, that.idleTimeout) && Objects.equals(rpcDeadline, that.rpcDeadline);
    }

    @Override
    public int hashCode() {
        return Objects.hash(alias, host, port, secure, databaseName, user);
    }

    /** @return alias, address, TLS, database and user; whether credentials are set, never what they are */
    @Override
    public String toString() {
        StringBuilder text = new StringBuilder("ConnectionSettings{alias=").append(alias)
                .append(", address=").append(address())
                .append(", secure=").append(secure);
        if (databaseName != null) {
            text.append(", database=").append(databaseName);
        }
        if (user != null) {
            text.append(", user=").append(user);
        }
        text.append(", credentials=").append(authorization == null ? "none" : "set");
        if (serverName != null) {
            text.append(", serverName=").append(serverName);
        }
        return text.append(", connectTimeout=").append(connectTimeout).append('}').toString();
    }

    /** Collects values while the reader validates them. Not thread-safe. */
    static final class Builder {
        String alias;
        String host;
        int port;
        boolean secure;
        String databaseName;
        String user;
        String authorization;
        String serverPemPath;
        String caPemPath;
        String clientPemPath;
        String clientKeyPath;
        String serverName;
        Duration connectTimeout;
        boolean connectOnStartup;
        Duration keepAliveTime;
        Duration keepAliveTimeout;
        Boolean keepAliveWithoutCalls;
        Duration idleTimeout;
        Duration rpcDeadline;
        boolean healthEnabled = true;

        ConnectionSettings build() {
            return new ConnectionSettings(this);
        }
    }
}
