package io.github.milvuscdi.quarkus;

import io.quarkus.runtime.annotations.ConfigDocDefault;
import io.quarkus.runtime.annotations.ConfigDocMapKey;
import io.quarkus.runtime.annotations.ConfigDocSection;
import io.quarkus.runtime.annotations.ConfigGroup;
import io.quarkus.runtime.annotations.ConfigPhase;
import io.quarkus.runtime.annotations.ConfigRoot;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithConverter;
import io.smallrye.config.WithParentName;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The connections, one per alias: {@code milvus.connections."alias".*}.
 *
 * <p>This interface documents the keys the Quarkus way (Quarkus generates the configuration reference
 * from it). The values are read and validated by milvus-cdi's own reader when an alias is first used,
 * as on every other runtime: the converters here never reject a value, and the defaults are
 * documented, not applied, so that an invalid value turns the alias's readiness entry {@code DOWN}
 * with milvus-cdi's message instead of stopping the application, and an unset key stays unset
 * (location precedence depends on which keys are set).
 */
@ConfigMapping(prefix = "milvus.connections")
@ConfigRoot(phase = ConfigPhase.RUN_TIME)
public interface MilvusConnectionsConfig {

    /**
     * The connections by alias; {@code default} is the alias injected without a qualifier.
     */
    @WithParentName
    @ConfigDocMapKey("alias")
    @ConfigDocSection
    Map<String, Connection> aliases();

    /** One alias's connection. */
    @ConfigGroup
    interface Connection {

        /**
         * {@code http[s]://[user:password@]host[:port][/db]}; {@code https} turns TLS on; port
         * defaults to 443 for https, 19530 otherwise; {@code grpc://} and {@code tcp://} read as
         * {@code http://}. Location precedence: {@code address}, then {@code uri}, then
         * {@code host}/{@code port}. With no location, alias {@code default} uses the
         * {@code MILVUS_URI} environment variable, else {@code http://localhost:19530}; in dev mode
         * and tests, Dev Services set it.
         */
        Optional<String> uri();

        /** {@code host:port} ({@code [::1]:19530} for IPv6). */
        Optional<String> address();

        /** Host name or IP. */
        @ConfigDocDefault("localhost")
        Optional<String> host();

        /** Port, 1–65535. */
        @ConfigDocDefault("19530")
        @WithConverter(LenientConverters.Int.class)
        Optional<Integer> port();

        /** User name; needs {@code password}. */
        Optional<String> user();

        /** Password; never logged or shown. */
        Optional<String> password();

        /** API key or {@code user:password}; wins over user/password and credentials in the uri. */
        Optional<String> token();

        /**
         * File holding the token (API key or {@code user:password}), trimmed; read again when it changes, without a
         * restart.
         */
        Optional<String> tokenFile();

        /**
         * File holding the password of {@code user} (or of {@code user-file}), trimmed; read again when it changes,
         * without a restart.
         */
        Optional<String> passwordFile();

        /**
         * File holding the user name, trimmed, in place of {@code user}: read with {@code password-file} as one pair,
         * so that both change at once (a Kubernetes {@code basic-auth} secret's {@code username}).
         */
        Optional<String> userFile();

        /**
         * Name of the {@code @Named} application bean, a {@code MilvusCredentialsProvider}, asked for the token when
         * connecting and again about once a second.
         */
        Optional<String> credentialsProvider();

        /** Database; else the first path segment of {@code uri}; else the server's default. */
        Optional<String> dbName();

        /**
         * TLS on/off ({@code true}/{@code false}); an {@code https} uri forces it on; certificate paths turn it on unless it is
         * {@code false}.
         */
        @ConfigDocDefault("false")
        @WithConverter(LenientConverters.Bool.class)
        Optional<Boolean> secure();

        /** One-way TLS: trust this server certificate. */
        Optional<String> serverPemPath();

        /**
         * The CA that signed the server certificate (one-way TLS, or with the two below, mutual TLS).
         */
        Optional<String> caPemPath();

        /** Mutual TLS: this client's certificate; needs {@code client-key-path} and {@code ca-pem-path}. */
        Optional<String> clientPemPath();

        /** Mutual TLS: this client's private key. */
        Optional<String> clientKeyPath();

        /**
         * A PKCS12 or JKS key store whose certificates the client trusts, in place of {@code ca-pem-path}; reread
         * when it changes.
         */
        Optional<String> trustStore();

        /** The password of {@code trust-store}; never logged or shown. */
        Optional<String> trustStorePassword();

        /** {@code PKCS12} or {@code JKS}; {@code .jks} files are JKS, others PKCS12; by default from the file name. */
        Optional<String> trustStoreType();

        /**
         * Mutual TLS: a PKCS12 or JKS key store holding this client's key and certificate, in place of
         * {@code client-pem-path} and {@code client-key-path}; reread when it changes.
         */
        Optional<String> keyStore();

        /** The password of {@code key-store} and of its key; never logged or shown. */
        Optional<String> keyStorePassword();

        /** {@code PKCS12} or {@code JKS}; {@code .jks} files are JKS, others PKCS12; by default from the file name. */
        Optional<String> keyStoreType();

        /**
         * Quarkus only: the {@code quarkus.tls.<name>.*} configuration of Quarkus's TLS registry whose trust and key
         * stores the alias uses, reloads included; in place of the certificate keys above.
         */
        Optional<String> tlsConfigurationName();

        /** TLS authority / SNI override; by default the host. */
        Optional<String> serverName();

        /**
         * Bound on connecting, and on how long any call waits for a usable connection while the
         * server is down or restarting.
         */
        @ConfigDocDefault("10s")
        @WithConverter(LenientConverters.Time.class)
        Optional<Duration> connectTimeout();

        /**
         * Connect while the application starts and fail the deployment when the server cannot be
         * reached within {@code connect-timeout}.
         */
        @ConfigDocDefault("false")
        @WithConverter(LenientConverters.Bool.class)
        Optional<Boolean> connectOnStartup();

        /** gRPC keep-alive ping interval, passed to the SDK; by default the SDK's. */
        @WithConverter(LenientConverters.Time.class)
        Optional<Duration> keepAliveTime();

        /** gRPC keep-alive ping timeout, passed to the SDK; by default the SDK's. */
        @WithConverter(LenientConverters.Time.class)
        Optional<Duration> keepAliveTimeout();

        /**
         * Send keep-alive pings while no call is active, passed to the SDK; by default the SDK's.
         * Dev Services set it to {@code false} for their milvus-lite unless it is configured.
         */
        @WithConverter(LenientConverters.Bool.class)
        Optional<Boolean> keepAliveWithoutCalls();

        /** Idle time after which the channel goes idle, passed to the SDK; by default the SDK's. */
        @WithConverter(LenientConverters.Time.class)
        Optional<Duration> idleTimeout();

        /** Deadline of every RPC, passed to the SDK; {@code 0} means none; by default the SDK's. */
        @WithConverter(LenientConverters.Time.class)
        Optional<Duration> rpcDeadline();

        /** How the SDK retries this alias's calls. */
        Retry retry();

        /** Readiness of this alias. */
        Health health();

        /** What the library does with this alias's collections. */
        Collections collections();

        /** Traces and metrics of this alias's calls. */
        Telemetry telemetry();
    }

    /** An alias's retry bounds (the SDK's retries, capped by milvus-cdi's defaults). */
    @ConfigGroup
    interface Retry {

        /** Attempts per call in all, the first included; {@code 1} means no retry. */
        @ConfigDocDefault("10")
        @WithConverter(LenientConverters.Int.class)
        Optional<Integer> maxAttempts();

        /** Overall cap on retrying one call. */
        @ConfigDocDefault("30s")
        @WithConverter(LenientConverters.Time.class)
        Optional<Duration> maxTime();

        /** First pause between attempts. */
        @ConfigDocDefault("10ms")
        @WithConverter(LenientConverters.Time.class)
        Optional<Duration> initialBackoff();

        /** Longest pause between attempts. */
        @ConfigDocDefault("3s")
        @WithConverter(LenientConverters.Time.class)
        Optional<Duration> maxBackoff();

        /** Growth of the pause, a whole number. */
        @ConfigDocDefault("3")
        @WithConverter(LenientConverters.Int.class)
        Optional<Integer> backoffMultiplier();

        /** Retry Milvus's rate-limit error with backoff, as Milvus recommends. */
        @ConfigDocDefault("true")
        @WithConverter(LenientConverters.Bool.class)
        Optional<Boolean> onRateLimit();

        /**
         * Also repeat an insert or delete whose outcome is unknown (the connection failed, or the deadline passed,
         * after it was sent); it may then write its rows twice.
         */
        @ConfigDocDefault("false")
        @WithConverter(LenientConverters.Bool.class)
        Optional<Boolean> unsafeWrites();
    }

    /** An alias's telemetry switches. */
    @ConfigGroup
    interface Telemetry {

        /**
         * Trace and time this alias's calls when the application has OpenTelemetry; wins over
         * {@code milvus.telemetry.enabled}.
         */
        @ConfigDocDefault("milvus.telemetry.enabled")
        @WithConverter(LenientConverters.Bool.class)
        Optional<Boolean> enabled();

        /** Put filter expressions in spans ({@code db.query.text}); they may hold user data. */
        @ConfigDocDefault("false")
        @WithConverter(LenientConverters.Bool.class)
        Optional<Boolean> recordFilters();
    }

    /** An alias's readiness switch. */
    @ConfigGroup
    interface Health {

        /** Include this alias in the readiness check. */
        @ConfigDocDefault("true")
        @WithConverter(LenientConverters.Bool.class)
        Optional<Boolean> enabled();

        /**
         * Collections that must exist and be loaded for this alias to be ready, separated by commas;
         * readiness shows each one's load state.
         */
        Optional<String> collections();
    }

    /** An alias's collections switch. */
    @ConfigGroup
    interface Collections {

        /**
         * Load the collections listed in {@code health.collections} that exist and are not loaded, when the
         * alias connects and after its server came back.
         */
        @ConfigDocDefault("false")
        @WithConverter(LenientConverters.Bool.class)
        Optional<Boolean> load();
    }
}
