package io.github.milvuscdi.internal.config;

import static io.github.milvuscdi.internal.config.KeyDefault.NONE;
import static io.github.milvuscdi.internal.config.KeyDefault.value;
import static io.github.milvuscdi.internal.config.KeyDefault.words;
import static io.github.milvuscdi.internal.config.KeyType.BOOLEAN;
import static io.github.milvuscdi.internal.config.KeyType.DURATION;
import static io.github.milvuscdi.internal.config.KeyType.INTEGER;
import static io.github.milvuscdi.internal.config.KeyType.PATH;
import static io.github.milvuscdi.internal.config.KeyType.SECRET;
import static io.github.milvuscdi.internal.config.KeyType.TEXT;

import java.util.Arrays;
import java.util.Optional;

/**
 * The one table of the keys of an alias, {@code milvus.connections.<alias>.<key>}: each key's name, type (secret
 * or not), default and one-sentence meaning, declared here and nowhere else. The reader takes the defaults from
 * here; docs/configuration.md's table and the Quarkus mapping ({@code MilvusConnectionsConfig}) are checked
 * against it by tests, which print the expected rows when they differ. {@link GlobalKey} is the same for the
 * global keys.
 *
 * <p>To add a key: add a constant (in the order the documentation should list it), read it in
 * {@code AliasReader}, add the row the test prints to docs/configuration.md, and a method to the Quarkus mapping.
 */
public enum ConnectionKey {
    URI(
            "uri",
            TEXT,
            NONE,
            "`http[s]://[user:password@]host[:port][/db]`; `https` turns TLS on; port defaults to 443 for https,"
                    + " 19530 otherwise; `grpc://` and `tcp://` read as `http://`"),
    ADDRESS("address", TEXT, NONE, "`host:port` (`[::1]:19530` for IPv6)"),
    HOST("host", TEXT, value("localhost"), "host name or IP"),
    PORT("port", INTEGER, value("19530"), "port, 1–65535"),
    USER("user", TEXT, NONE, "user name; needs `password`"),
    PASSWORD("password", SECRET, NONE, "password; never logged or shown"),
    TOKEN("token", SECRET, NONE, "API key or `user:password`; wins over user/password and credentials in the uri"),
    TOKEN_FILE(
            "token-file",
            PATH,
            NONE,
            "file holding the token (API key or `user:password`), trimmed; read again when it changes, without a"
                    + " restart (see [Rotating credentials](tls-and-credentials.md#rotating-credentials))"),
    PASSWORD_FILE(
            "password-file",
            PATH,
            NONE,
            "file holding the password of `user` (or of `user-file`), trimmed; read again when it changes, without a"
                    + " restart"),
    USER_FILE(
            "user-file",
            PATH,
            NONE,
            "file holding the user name, trimmed, in place of `user`: read with `password-file` as one pair, so"
                    + " that both change at once (a Kubernetes `basic-auth` secret's `username`)"),
    CREDENTIALS_PROVIDER(
            "credentials-provider",
            TEXT,
            NONE,
            "name of the `@Named` application bean, a `MilvusCredentialsProvider`, asked for the token when"
                    + " connecting and again about once a second"),
    DB_NAME("db-name", TEXT, NONE, "database; else the first path segment of `uri`; else the server's default"),
    SECURE(
            "secure",
            BOOLEAN,
            value("false"),
            "TLS on/off (`true`/`false`); an `https` uri forces it on; certificate paths turn it on unless it is"
                    + " `false`"),
    SERVER_PEM_PATH("server-pem-path", PATH, NONE, "one-way TLS: trust this server certificate"),
    CA_PEM_PATH(
            "ca-pem-path",
            PATH,
            NONE,
            "the CA that signed the server certificate (one-way TLS, or with the two below, mutual TLS)"),
    CLIENT_PEM_PATH(
            "client-pem-path",
            PATH,
            NONE,
            "mutual TLS: this client's certificate; needs `client-key-path` and `ca-pem-path`"),
    CLIENT_KEY_PATH("client-key-path", PATH, NONE, "mutual TLS: this client's private key"),
    TRUST_STORE(
            "trust-store",
            PATH,
            NONE,
            "a PKCS12 or JKS key store whose certificates the client trusts, in place of `ca-pem-path`; reread"
                    + " when it changes"),
    TRUST_STORE_PASSWORD("trust-store-password", SECRET, NONE, "the password of `trust-store`; never logged or shown"),
    TRUST_STORE_TYPE(
            "trust-store-type",
            TEXT,
            words("from the file name"),
            "`PKCS12` or `JKS`; `.jks` files are JKS, others PKCS12"),
    KEY_STORE(
            "key-store",
            PATH,
            NONE,
            "mutual TLS: a PKCS12 or JKS key store holding this client's key and certificate, in place of"
                    + " `client-pem-path` and `client-key-path`; reread when it changes"),
    KEY_STORE_PASSWORD(
            "key-store-password", SECRET, NONE, "the password of `key-store` and of its key; never logged or shown"),
    KEY_STORE_TYPE(
            "key-store-type",
            TEXT,
            words("from the file name"),
            "`PKCS12` or `JKS`; `.jks` files are JKS, others PKCS12"),
    TLS_CONFIGURATION_NAME(
            "tls-configuration-name",
            TEXT,
            NONE,
            "Quarkus only: the `quarkus.tls.<name>.*` configuration of Quarkus's TLS registry whose trust and key"
                    + " stores the alias uses, reloads included; in place of the certificate keys above"),
    SERVER_NAME("server-name", TEXT, words("the host"), "TLS authority / SNI override"),
    CONNECT_TIMEOUT(
            "connect-timeout",
            DURATION,
            value("10s"),
            "bound on connecting, and on how long any call waits for a usable connection while the server is down"
                    + " or restarting"),
    CONNECT_ON_STARTUP(
            "connect-on-startup",
            BOOLEAN,
            value("false"),
            "connect while the application starts and fail the deployment when the server cannot be reached"
                    + " within `connect-timeout`"),
    KEEP_ALIVE_TIME("keep-alive-time", DURATION, words("SDK's"), "gRPC keep-alive ping interval, passed to the SDK"),
    KEEP_ALIVE_TIMEOUT(
            "keep-alive-timeout", DURATION, words("SDK's"), "gRPC keep-alive ping timeout, passed to the SDK"),
    KEEP_ALIVE_WITHOUT_CALLS(
            "keep-alive-without-calls",
            BOOLEAN,
            words("SDK's"),
            "send keep-alive pings while no call is active, passed to the SDK"),
    IDLE_TIMEOUT(
            "idle-timeout", DURATION, words("SDK's"), "idle time after which the channel goes idle, passed to the SDK"),
    RPC_DEADLINE("rpc-deadline", DURATION, words("SDK's"), "deadline of every RPC, passed to the SDK; `0` means none"),
    RETRY_MAX_ATTEMPTS(
            "retry.max-attempts",
            INTEGER,
            value("10"),
            "attempts per call in all, the first included; `1` means no retry (see [When Milvus is down]"
                    + "(outages.md))"),
    RETRY_MAX_TIME("retry.max-time", DURATION, value("30s"), "overall cap on retrying one call"),
    RETRY_INITIAL_BACKOFF("retry.initial-backoff", DURATION, value("10ms"), "first pause between attempts"),
    RETRY_MAX_BACKOFF("retry.max-backoff", DURATION, value("3s"), "longest pause between attempts"),
    RETRY_BACKOFF_MULTIPLIER("retry.backoff-multiplier", INTEGER, value("3"), "growth of the pause, a whole number"),
    RETRY_ON_RATE_LIMIT(
            "retry.on-rate-limit",
            BOOLEAN,
            value("true"),
            "retry Milvus's rate-limit error with backoff, as Milvus recommends"),
    RETRY_UNSAFE_WRITES(
            "retry.unsafe-writes",
            BOOLEAN,
            value("false"),
            "also repeat an insert or delete whose outcome is unknown (the connection failed, or the deadline passed,"
                    + " after it was sent); it may then write its rows twice (see [When Milvus is down](outages.md))"),
    HEALTH_ENABLED("health.enabled", BOOLEAN, value("true"), "include this alias in the readiness check"),
    HEALTH_COLLECTIONS(
            "health.collections",
            TEXT,
            NONE,
            "collections that must exist and be loaded for this alias to be ready, separated by commas; readiness"
                    + " shows each one's load state (see [readiness](readiness.md))"),
    COLLECTIONS_LOAD(
            "collections.load",
            BOOLEAN,
            value("false"),
            "load the collections listed in `health.collections` that exist and are not loaded, when the alias"
                    + " connects and after its server came back"),
    TELEMETRY_ENABLED(
            "telemetry.enabled",
            BOOLEAN,
            words("`" + GlobalKey.TELEMETRY_ENABLED.key() + "`"),
            "trace and time this alias's calls when the application has OpenTelemetry (see [Traces and"
                    + " metrics](telemetry.md)); wins over `milvus.telemetry.enabled`"),
    TELEMETRY_RECORD_FILTERS(
            "telemetry.record-filters",
            BOOLEAN,
            value("false"),
            "put filter expressions in spans (`db.query.text`); they may hold user data");

    private final KeyDeclaration declaration;

    ConnectionKey(String key, KeyType type, KeyDefault defaultValue, String meaning) {
        this.declaration = new KeyDeclaration(key, type, defaultValue, meaning);
    }

    /** @return the key's row of the table: name, type, default, meaning */
    public KeyDeclaration declaration() {
        return declaration;
    }

    /**
     * Returns the key as written after {@code milvus.connections.<alias>.}.
     *
     * @return e.g. {@code "db-name"}
     */
    public String key() {
        return declaration.key();
    }

    /**
     * A value as a problem may quote it, through the one redaction rule: credentials written into it (a
     * {@code user:password@} part) are hidden, whatever the key.
     *
     * @param value a configured value
     * @return the value without credentials
     */
    public static String redacted(String value) {
        return MilvusUri.redact(value);
    }

    /**
     * Returns the full property name for one alias.
     *
     * @param alias the alias
     * @return e.g. {@code "milvus.connections.search.uri"}
     */
    public String fullKey(String alias) {
        return AliasDiscovery.PREFIX + alias + "." + declaration.key();
    }

    /**
     * Tells whether values of this key are secrets that must never be shown.
     *
     * @return {@code true} for password and token
     */
    public boolean isSecret() {
        return declaration.type() == SECRET;
    }

    /**
     * Finds the constant for a key as written in configuration.
     *
     * @param key e.g. {@code "uri"}
     * @return the constant, or empty when the key is unknown
     */
    public static Optional<ConnectionKey> of(String key) {
        return Arrays.stream(values()).filter(k -> k.key().equals(key)).findFirst();
    }

    /**
     * Finds the key a mistyped one most likely meant: the nearest by edit distance (insertions,
     * deletions, substitutions, and swaps of two neighbours count one each), when it is at most 2
     * edits away and fewer than half the typed key's length, so that {@code timeout} suggests nothing
     * rather than {@code idle-timeout}.
     *
     * @param typed a key as written in configuration, unknown
     * @return the nearest key, or empty when none is close
     */
    public static Optional<ConnectionKey> nearest(String typed) {
        ConnectionKey best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (ConnectionKey candidate : values()) {
            int distance = distance(typed, candidate.key());
            if (distance < bestDistance) {
                best = candidate;
                bestDistance = distance;
            }
        }
        return bestDistance <= 2 && bestDistance * 2 < typed.length() ? Optional.of(best) : Optional.empty();
    }

    /** Optimal string alignment distance (Damerau–Levenshtein without repeated edits of a substring). */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
