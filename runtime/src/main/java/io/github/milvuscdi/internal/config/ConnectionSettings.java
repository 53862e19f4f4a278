package io.github.milvuscdi.internal.config;

import java.time.Duration;

/**
 * The validated settings of one Milvus connection, read once by {@link ConnectionSettingsReader}.
 *
 * <p>Optional values are {@code null} when not configured; {@code keepAliveWithoutCalls} and the
 * durations other than {@code connectTimeout} are {@code null} to mean "the SDK's default". Two settings
 * are equal when they would open the same connection, credentials included.
 *
 * <p>Holds the credentials ({@code authorization}: the token, or {@code user:password}) but never shows
 * them: {@link #toString()} only says whether there are any.
 *
 * @param alias the alias, never {@code null}
 * @param host host name or IP address, without brackets
 * @param port 1–65535
 * @param secure whether TLS is on
 * @param databaseName the database; {@code null} for the server's default
 * @param user the user name, when credentials are a user and password; {@code null} when it comes from a
 *        {@code user-file} (it may change; the file's path is in {@code credentialsSource})
 * @param authorization what the SDK sends as its token; {@code null} for none
 * @param serverPemPath one-way TLS: the server certificate to trust
 * @param caPemPath the CA to trust
 * @param clientPemPath mutual TLS: the client certificate
 * @param clientKeyPath mutual TLS: the client key
 * @param serverName the TLS authority; set whenever TLS is on
 * @param connectTimeout the bound on connecting, positive
 * @param connectOnStartup whether the container connects while starting
 * @param keepAliveTime gRPC keep-alive interval
 * @param keepAliveTimeout gRPC keep-alive timeout
 * @param keepAliveWithoutCalls whether to ping with no call open
 * @param idleTimeout idle time before the channel goes idle
 * @param rpcDeadline deadline of every RPC
 * @param healthEnabled whether readiness includes this alias
 * @param telemetryEnabled whether calls are traced and timed; {@code null} when not set: the global
 *        switch decides
 * @param recordFilters whether spans carry filter expressions
 * @param retry the retry policy
 * @param collections the collections readiness checks
 * @param stores the key stores ({@code trust-store}, {@code key-store}); {@link CertificateStores#NONE} for none
 * @param credentialsSource where credentials that may change come from ({@code token-file}, {@code password-file}
 *        with {@code user} or {@code user-file}, {@code credentials-provider}); {@code null} when they are fixed ({@code authorization}) or none
 */
public record ConnectionSettings(
        String alias,
        String host,
        int port,
        boolean secure,
        String databaseName,
        String user,
        String authorization,
        String serverPemPath,
        String caPemPath,
        String clientPemPath,
        String clientKeyPath,
        String serverName,
        Duration connectTimeout,
        boolean connectOnStartup,
        Duration keepAliveTime,
        Duration keepAliveTimeout,
        Boolean keepAliveWithoutCalls,
        Duration idleTimeout,
        Duration rpcDeadline,
        boolean healthEnabled,
        Boolean telemetryEnabled,
        boolean recordFilters,
        RetrySettings retry,
        CollectionSettings collections,
        CertificateStores stores,
        CredentialsSource credentialsSource) {

    /** @return {@code host:port}, with brackets around an IPv6 host */
    public String address() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    /** @return whether a token or a user and password will be sent, fixed or from a source that may change */
    public boolean hasCredentials() {
        return authorization != null || credentialsSource != null;
    }

    /**
     * @return whether TLS is on with a client certificate and key (PEM files or {@code key-store}) and a CA
     *     ({@code ca-pem-path} or {@code trust-store}): mutual TLS
     */
    public boolean mutualTls() {
        boolean client = (clientPemPath != null && clientKeyPath != null) || stores.keyStore() != null;
        boolean ca = caPemPath != null || stores.trustStore() != null;
        return secure && client && ca;
    }

    /** @return alias, address, TLS, database and user; whether credentials are set, never what they are */
    @Override
    public String toString() {
        StringBuilder text = new StringBuilder("ConnectionSettings{alias=")
                .append(alias)
                .append(", address=")
                .append(address())
                .append(", secure=")
                .append(secure);
        if (databaseName != null) {
            text.append(", database=").append(databaseName);
        }
        if (user != null) {
            text.append(", user=").append(user);
        }
        text.append(", credentials=")
                .append(
                        credentialsSource != null
                                ? credentialsSource.describe(alias)
                                : authorization == null ? "none" : "set");
        if (serverName != null) {
            text.append(", serverName=").append(serverName);
        }
        return text.append(", connectTimeout=")
                .append(connectTimeout)
                .append('}')
                .toString();
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
        Boolean telemetryEnabled;
        boolean recordFilters;
        RetrySettings retry = RetrySettings.DEFAULTS;
        CollectionSettings collections = CollectionSettings.NONE;
        CertificateStores stores = CertificateStores.NONE;
        CredentialsSource credentialsSource;

        ConnectionSettings build() {
            return new ConnectionSettings(
                    alias,
                    host,
                    port,
                    secure,
                    databaseName,
                    user,
                    authorization,
                    serverPemPath,
                    caPemPath,
                    clientPemPath,
                    clientKeyPath,
                    serverName,
                    connectTimeout,
                    connectOnStartup,
                    keepAliveTime,
                    keepAliveTimeout,
                    keepAliveWithoutCalls,
                    idleTimeout,
                    rpcDeadline,
                    healthEnabled,
                    telemetryEnabled,
                    recordFilters,
                    retry,
                    collections,
                    stores,
                    credentialsSource);
        }
    }
}
