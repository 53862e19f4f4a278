package io.github.milvuscdi.internal.client;

import io.github.milvuscdi.internal.config.ConnectionSettings;
import io.milvus.v2.client.ConnectConfig;
import io.milvus.v2.client.RetryConfig;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * Translates an alias's settings into the SDK's {@link ConnectConfig} and {@link RetryConfig}: the
 * one place that knows which of the SDK's options take which value, and where the SDK cannot take a
 * value as it is (a host name it cannot read, a server name with the JVM's trust store).
 *
 * <p>Stateless and thread-safe.
 */
public final class ConnectConfigs {

    private ConnectConfigs() {}

    /**
     * Returns a fresh SDK builder for an alias's settings; each client needs its own.
     *
     * <p>Only what is set reaches the SDK: no empty database name (the SDK would call
     * ListDatabases), and with TLS a server name that defaults to the host (the SDK throws
     * {@code NullPointerException: authority} without one when given a server certificate).
     *
     * @param settings the alias's settings
     * @return a new builder, never {@code null}
     */
    public static ConnectConfig.ConnectConfigBuilder connectConfig(ConnectionSettings settings) {
        ConnectConfig.ConnectConfigBuilder builder = ConnectConfig.builder()
                .uri(scheme(settings) + settings.address())
                .secure(settings.secure())
                .connectTimeoutMs(settings.connectTimeout().toMillis());
        if (settings.authorization() != null) {
            builder.token(settings.authorization());
        }
        if (settings.databaseName() != null) {
            builder.dbName(settings.databaseName());
        }
        if (settings.secure()) {
            builder.serverName(settings.serverName());
            // The SDK (2.6.22) picks one of three channel kinds: with a server PEM, one-way TLS that
            // trusts that file and sends no client certificate, even if one is given; else with a
            // client certificate, key and CA, mutual TLS; else the JVM's default trust store, where
            // a CA PEM alone is ignored. So mutual TLS gets no server PEM, and a CA PEM alone is
            // what one-way TLS trusts.
            if (settings.mutualTls()) {
                builder.caPemPath(settings.caPemPath())
                        .clientPemPath(settings.clientPemPath())
                        .clientKeyPath(settings.clientKeyPath());
            } else if (settings.serverPemPath() != null) {
                builder.serverPemPath(settings.serverPemPath());
            } else if (settings.caPemPath() != null) {
                builder.serverPemPath(settings.caPemPath());
            }
        }
        if (settings.keepAliveTime() != null) {
            builder.keepAliveTimeMs(settings.keepAliveTime().toMillis());
        }
        if (settings.keepAliveTimeout() != null) {
            builder.keepAliveTimeoutMs(settings.keepAliveTimeout().toMillis());
        }
        if (settings.keepAliveWithoutCalls() != null) {
            builder.keepAliveWithoutCalls(settings.keepAliveWithoutCalls());
        }
        if (settings.idleTimeout() != null) {
            builder.idleTimeoutMs(settings.idleTimeout().toMillis());
        }
        if (settings.rpcDeadline() != null) {
            builder.rpcDeadlineMs(settings.rpcDeadline().toMillis());
        }
        return builder;
    }

    /**
     * Whether the SDK would treat the configuration as a Zilliz Cloud global cluster (2.6.22: its uri holds
     * {@code global-cluster}, any case), which this library refuses.
     */
    static boolean isGlobalCluster(ConnectConfig config) {
        return config.getUri() != null
                && config.getUri().toLowerCase(java.util.Locale.ROOT).contains("global-cluster");
    }

    /**
     * Whether the SDK can read this uri: it reads it with {@code URI}, which refuses host names
     * that DNS and Docker accept ({@code milvus_standalone}, the service name in Milvus's docker-compose
     * files).
     */
    static boolean sdkReads(String uri) {
        try {
            return new URI(uri).getHost() != null;
        } catch (URISyntaxException notAUri) {
            return false;
        }
    }

    /**
     * A host name the SDK cannot read, resolved now, on a thread of its own so that a slow resolver costs at
     * most {@code bound}: a name that does not resolve fails the connect at once, saying so. The channel
     * itself resolves the name again each time it connects ({@code MilvusSdk.hostStandIn}).
     *
     * @throws UnknownHostException when the name does not resolve
     * @throws TimeoutException when it does not resolve within the bound
     */
    static String resolvedAddress(ConnectionSettings settings, Duration bound)
            throws UnknownHostException, TimeoutException, InterruptedException {
        CompletableFuture<InetAddress> resolved = new CompletableFuture<>();
        Thread resolver = new Thread(
                () -> {
                    try {
                        resolved.complete(InetAddress.getByName(settings.host()));
                    } catch (UnknownHostException | RuntimeException failed) {
                        resolved.completeExceptionally(failed);
                    }
                },
                "milvus-cdi-resolve-" + settings.alias());
        resolver.setDaemon(true);
        resolver.setContextClassLoader(null);
        resolver.start();
        String ip;
        try {
            ip = resolved.get(bound.toMillis(), TimeUnit.MILLISECONDS).getHostAddress();
        } catch (ExecutionException failed) {
            if (failed.getCause() instanceof UnknownHostException unknown) {
                throw unknown;
            }
            throw (RuntimeException) failed.getCause();
        }
        int zone = ip.indexOf('%');
        ip = zone >= 0 ? ip.substring(0, zone) : ip; // the SDK's uri cannot carry a zone
        return (ip.indexOf(':') >= 0 ? "[" + ip + "]" : ip) + ":" + settings.port();
    }

    /**
     * Whether a client trusts the server through the JVM's trust store under a server name of its own.
     * The SDK then applies no server name, and its SSLContext option offers no ALPN, which gRPC needs;
     * what it does apply a server name to is a trusted PEM file: the JVM's trusted certificates are
     * written to one ({@link #jvmTrustedCertificates()}) when the client connects.
     *
     * @param config the configuration as built, the application's adjustments included
     */
    static boolean trustsJvmStoreUnderOtherName(ConnectionSettings settings, ConnectConfig config) {
        return settings.secure()
                && config.getServerPemPath() == null
                && config.getCaPemPath() == null
                && config.getSslContext() == null
                && config.getServerName() != null
                && !config.getServerName().equals(settings.host());
    }

    /**
     * Writes the certificates the JVM's default trust store trusts to a PEM file, for the SDK to trust.
     *
     * @return the file; the caller deletes it once the channel is built
     */
    static Path jvmTrustedCertificates() {
        try {
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init((KeyStore) null);
            StringBuilder pem = new StringBuilder();
            Base64.Encoder base64 = Base64.getMimeEncoder(64, new byte[] {'\n'});
            for (TrustManager manager : factory.getTrustManagers()) {
                if (manager instanceof X509TrustManager) {
                    for (X509Certificate trusted : ((X509TrustManager) manager).getAcceptedIssuers()) {
                        pem.append("-----BEGIN CERTIFICATE-----\n")
                                .append(base64.encodeToString(trusted.getEncoded()))
                                .append("\n-----END CERTIFICATE-----\n");
                    }
                }
            }
            Path file = Files.createTempFile("milvus-cdi-jvm-trust", ".pem");
            Files.writeString(file, pem);
            return file;
        } catch (IOException | GeneralSecurityException unavailable) {
            throw new IllegalStateException("cannot read the JVM's trust store: " + unavailable, unavailable);
        }
    }

    /**
     * The SDK's retry policy for an alias; see {@link io.github.milvuscdi.internal.config.RetrySettings}.
     *
     * @param settings the alias's settings
     * @return a new retry configuration
     */
    public static RetryConfig retryConfig(ConnectionSettings settings) {
        return RetryConfig.builder()
                .maxRetryTimes(settings.retry().maxAttempts())
                .maxRetryTimeoutMs(settings.retry().maxTime().toMillis())
                .initialBackOffMs(settings.retry().initialBackoff().toMillis())
                .maxBackOffMs(settings.retry().maxBackoff().toMillis())
                .backOffMultiplier(settings.retry().backoffMultiplier())
                .retryOnRateLimit(settings.retry().onRateLimit())
                .build();
    }

    /** @return the uri scheme the SDK reads TLS from */
    static String scheme(ConnectionSettings settings) {
        return settings.secure() ? "https://" : "http://";
    }
}
