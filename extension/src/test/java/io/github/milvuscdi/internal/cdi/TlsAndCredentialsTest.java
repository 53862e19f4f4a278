package io.github.milvuscdi.internal.cdi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.github.milvuscdi.MilvusConnection;
import io.github.milvuscdi.MilvusConnectionException;
import io.github.milvuscdi.harness.ReadinessReport;
import io.github.milvuscdi.internal.cdi.Containers.Path;
import io.github.milvuscdi.internal.health.MilvusReadinessCheck;
import io.github.milvuscdi.launcher.MilvusLiteOptions;
import io.github.milvuscdi.testing.MilvusLiteExtension;
import io.github.milvuscdi.testing.TestCertificates;
import io.github.milvuscdi.testing.TestSecrets;
import io.github.milvuscdi.testing.VectorRoundTrip;
import io.milvus.v2.client.MilvusClientV2;
import io.smallrye.health.AsyncHealthCheckFactory;
import io.smallrye.health.SmallRyeHealthReporter;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jboss.weld.environment.se.WeldContainer;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * TLS, mutual TLS and credentials through {@code @MilvusConnection} injection, on both extension
 * paths, against milvus-lite servers that enforce them (milvus-lite's own servicer behind grpcio's
 * TLS and an interceptor that checks credentials as Milvus does): what the user sees when it works,
 * and the message when it does not. No message, cause or readiness entry may hold the password or
 * the token.
 *
 * <p>A failure's message is asserted word for word up to the gRPC status it quotes in parentheses at
 * the end: that part is gRPC's and Netty's wording ({@code io exception}, {@code Network closed for
 * unknown reason}...), which changes between versions and even between runs; ours says what happened
 * and what to set.
 */
class TlsAndCredentialsTest {

    private static final TestCertificates CERTS = TestCertificates.generate();
    private static final TestSecrets SECRETS = TestSecrets.generate();
    private static final String PASSWORD = SECRETS.password();
    private static final String TOKEN = SECRETS.token();
    private static final String ALIAS = "secured";
    private static final Duration HANG = Duration.ofSeconds(20);

    /** TLS with a certificate for localhost and 127.0.0.1. */
    @RegisterExtension
    static final MilvusLiteExtension TLS =
            new MilvusLiteExtension("tls", MilvusLiteOptions.plaintext().tls(CERTS));

    /** TLS with a certificate for milvus.test only. */
    @RegisterExtension
    static final MilvusLiteExtension OTHER_NAME =
            new MilvusLiteExtension("other-name", MilvusLiteOptions.plaintext().tlsWithOtherName(CERTS));

    /** Mutual TLS: a client certificate signed by the run's CA is required. */
    @RegisterExtension
    static final MilvusLiteExtension MUTUAL = new MilvusLiteExtension(
            "mutual-tls", MilvusLiteOptions.plaintext().tls(CERTS).mutualTls());

    /** Plaintext that requires root's password or the token. */
    @RegisterExtension
    static final MilvusLiteExtension AUTH = new MilvusLiteExtension(
            "auth", MilvusLiteOptions.plaintext().credentials("root", PASSWORD).token(TOKEN));

    /** Plaintext, no credentials. */
    @RegisterExtension
    static final MilvusLiteExtension PLAIN = new MilvusLiteExtension("plain");

    /** What an application does: injects the alias, and uses it when it needs it. */
    @Dependent
    static class Application {
        @Inject
        @MilvusConnection(ALIAS)
        Instance<MilvusClientV2> secured;
    }

    /** A bean that injects nothing: the configured aliases alone are validated at deployment. */
    @Dependent
    static class NothingInjected {}

    // ---------------------------------------------------------------- one-way TLS

    @ParameterizedTest
    @EnumSource(Path.class)
    void httpsWithTheServerCertificateAsServerPemPathRoundTrips(Path path) throws Exception {
        roundTrips(
                path,
                "server_pem",
                config(
                        "uri",
                        "https://localhost:" + TLS.server().port(),
                        "server-pem-path",
                        CERTS.serverPem().toString()));
    }

    @ParameterizedTest
    @EnumSource(Path.class)
    void httpsWithTheCaAsCaPemPathRoundTrips(Path path) throws Exception {
        roundTrips(
                path,
                "ca_pem",
                config(
                        "uri",
                        "https://localhost:" + TLS.server().port(),
                        "ca-pem-path",
                        CERTS.caPem().toString()));
    }

    @ParameterizedTest
    @EnumSource(Path.class)
    void httpsWithoutTrustFailsSayingTheCertificateWasNotTrusted(Path path) throws Exception {
        MilvusConnectionException failure = connectFails(
                path, config("uri", "https://localhost:" + TLS.server().port()));

        assertThat(failure.getMessage())
                .startsWith("Milvus alias 'secured': cannot connect to localhost:"
                        + TLS.server().port() + " over TLS (connect-timeout 2000 ms): the server's certificate was not"
                        + " trusted: set milvus.connections.secured.server-pem-path to the server's certificate, or"
                        + " milvus.connections.secured.ca-pem-path to the CA that signed it (")
                .endsWith(")");
    }

    @ParameterizedTest
    @EnumSource(Path.class)
    void serverNameReachesACertificateForAnotherName(Path path) throws Exception {
        roundTrips(
                path,
                "server_name",
                config(
                        "uri",
                        "https://localhost:" + OTHER_NAME.server().port(),
                        "ca-pem-path",
                        CERTS.caPem().toString(),
                        "server-name",
                        TestCertificates.OTHER_NAME));
    }

    @ParameterizedTest
    @EnumSource(Path.class)
    void withoutServerNameACertificateForAnotherNameIsReportedAsSuch(Path path) throws Exception {
        MilvusConnectionException failure = connectFails(
                path,
                config(
                        "uri",
                        "https://localhost:" + OTHER_NAME.server().port(),
                        "ca-pem-path",
                        CERTS.caPem().toString()));

        assertThat(failure.getMessage())
                .startsWith("Milvus alias 'secured': cannot connect to localhost:"
                        + OTHER_NAME.server().port()
                        + " over TLS (connect-timeout 2000 ms): the server's certificate does"
                        + " not carry the name 'localhost': set milvus.connections.secured.server-name to a name the"
                        + " certificate carries (")
                .endsWith(")");
    }

    // ---------------------------------------------------------------- mutual TLS

    @ParameterizedTest
    @EnumSource(Path.class)
    void mutualTlsWithClientCertificateAndKeyRoundTrips(Path path) throws Exception {
        roundTrips(
                path,
                "mutual",
                config(
                        "uri", "https://localhost:" + MUTUAL.server().port(),
                        "ca-pem-path", CERTS.caPem().toString(),
                        "client-pem-path", CERTS.clientPem().toString(),
                        "client-key-path", CERTS.clientKey().toString()));
    }

    @ParameterizedTest
    @EnumSource(Path.class)
    void mutualTlsWithoutClientCertificateFailsSayingWhatToSet(Path path) throws Exception {
        MilvusConnectionException failure = connectFails(
                path,
                config(
                        "uri",
                        "https://localhost:" + MUTUAL.server().port(),
                        "ca-pem-path",
                        CERTS.caPem().toString()));

        assertThat(failure.getMessage())
                .startsWith("Milvus alias 'secured': cannot connect to localhost:"
                        + MUTUAL.server().port()
                        + " over TLS (connect-timeout 2000 ms): the server requires a client certificate (mutual TLS):"
                        + " set milvus.connections.secured.client-pem-path and milvus.connections.secured.client-key-path"
                        + " to the client's certificate and key, and milvus.connections.secured.ca-pem-path to the CA"
                        + " that signed the server's (")
                .endsWith(")");
    }

    // ---------------------------------------------------------------- credentials

    @ParameterizedTest
    @EnumSource(Path.class)
    void userAndPasswordRoundTrip(Path path) throws Exception {
        roundTrips(path, "password", config("uri", AUTH.server().uri(), "user", "root", "password", PASSWORD));
    }

    @ParameterizedTest
    @EnumSource(Path.class)
    void aWrongPasswordFailsNamingAliasAndAddressAndNoPassword(Path path) throws Exception {
        MilvusConnectionException failure =
                connectFails(path, config("uri", AUTH.server().uri(), "user", "root", "password", "not-" + PASSWORD));

        assertThat(failure.getMessage())
                .isEqualTo("Milvus alias 'secured': cannot connect to "
                        + AUTH.server().address()
                        + " (connect-timeout 2000 ms): the server rejected the credentials: check"
                        + " milvus.connections.secured.user and milvus.connections.secured.password, or"
                        + " milvus.connections.secured.token (UNAUTHENTICATED: auth check failure, please check username"
                        + " and password are correct)");
    }

    @ParameterizedTest
    @EnumSource(Path.class)
    void noCredentialsFailSayingTheServerRequiresThem(Path path) throws Exception {
        MilvusConnectionException failure =
                connectFails(path, config("uri", AUTH.server().uri()));

        assertThat(failure.getMessage())
                .isEqualTo("Milvus alias 'secured': cannot connect to "
                        + AUTH.server().address() + " (connect-timeout 2000 ms): the server requires credentials: set"
                        + " milvus.connections.secured.token, or milvus.connections.secured.user and"
                        + " milvus.connections.secured.password (UNAUTHENTICATED: missing authorization in header)");
    }

    @ParameterizedTest
    @EnumSource(Path.class)
    void tokenRoundTrips(Path path) throws Exception {
        roundTrips(path, "token", config("uri", AUTH.server().uri(), "token", TOKEN));
    }

    @ParameterizedTest
    @EnumSource(Path.class)
    void aWrongTokenFailsWithoutTheToken(Path path) throws Exception {
        MilvusConnectionException failure =
                connectFails(path, config("uri", AUTH.server().uri(), "token", "not-" + TOKEN));

        assertThat(failure.getMessage())
                .startsWith("Milvus alias 'secured': cannot connect to "
                        + AUTH.server().address() + " (connect-timeout 2000 ms): the server rejected the credentials")
                .endsWith("(UNAUTHENTICATED: auth check failure, please check api key is correct)");
    }

    @ParameterizedTest
    @EnumSource(Path.class)
    void credentialsInsideTheUriRoundTrip(Path path) throws Exception {
        roundTrips(
                path,
                "uri_credentials",
                config("uri", "http://root:" + PASSWORD + "@" + AUTH.server().address()));
    }

    // ---------------------------------------------------------------- TLS on one side only

    @ParameterizedTest
    @EnumSource(Path.class)
    void secureOnAPlaintextServerFailsClearlyWithinTheTimeout(Path path) throws Exception {
        MilvusConnectionException failure =
                connectFails(path, config("uri", PLAIN.server().uri(), "secure", "true"));

        assertThat(failure.getMessage())
                .startsWith("Milvus alias 'secured': cannot connect to "
                        + PLAIN.server().address()
                        + " over TLS (connect-timeout 2000 ms): the server does not speak TLS:"
                        + " connect without it (an http:// uri, no milvus.connections.secured.secure=true and no"
                        + " -pem-path keys) (")
                .endsWith(")");
    }

    @ParameterizedTest
    @EnumSource(Path.class)
    void plaintextOnATlsServerFailsClearlyWithinTheTimeout(Path path) throws Exception {
        MilvusConnectionException failure = connectFails(
                path, config("uri", "http://localhost:" + TLS.server().port()));

        assertThat(failure.getMessage())
                .startsWith("Milvus alias 'secured': cannot connect to localhost:"
                        + TLS.server().port() + " (connect-timeout 2000 ms): the server expects TLS and the client"
                        + " does not use it: use an https:// uri or set milvus.connections.secured.secure=true (")
                .endsWith(")");
    }

    // ---------------------------------------------------------------- deployment

    @ParameterizedTest
    @EnumSource(Path.class)
    void missingAndUnreadableTlsFilesAndPartialMutualTlsFailTheDeploymentNamingTheKeys(Path path) throws Exception {
        java.nio.file.Path missing = CERTS.directory().resolve("no-such.pem");
        java.nio.file.Path folder = Files.createDirectories(CERTS.directory().resolve("a-folder.pem"));
        Map<String, String> config = new LinkedHashMap<>();
        config.put(
                "milvus.connections.missing.uri",
                "https://localhost:" + TLS.server().port());
        config.put("milvus.connections.missing.server-pem-path", missing.toString());
        config.put(
                "milvus.connections.unreadable.uri",
                "https://localhost:" + TLS.server().port());
        config.put("milvus.connections.unreadable.ca-pem-path", folder.toString());
        config.put(
                "milvus.connections.partial.uri",
                "https://localhost:" + MUTUAL.server().port());
        config.put(
                "milvus.connections.partial.client-pem-path", CERTS.clientPem().toString());
        config.put("milvus.connections.partial.password", PASSWORD);
        config.put("milvus.connections.partial.user", "root");

        try (AutoCloseable c = Containers.useConfig(config)) {
            Throwable failure = catchThrowable(
                    () -> Containers.boot(path, NothingInjected.class).close());

            assertThat(failure).as("the deployment fails").isNotNull();
            assertThat(ExtensionTest.stackText(failure))
                    .contains("Invalid Milvus configuration, 3 problems:")
                    .contains("alias 'missing': milvus.connections.missing.server-pem-path='" + missing
                            + "' does not exist or cannot be read; expected the path of a readable PEM file")
                    .contains("alias 'unreadable': milvus.connections.unreadable.ca-pem-path='" + folder
                            + "' does not exist or cannot be read; expected the path of a readable PEM file")
                    .contains("alias 'partial': mutual TLS needs milvus.connections.partial.client-pem-path,"
                            + " milvus.connections.partial.client-key-path and milvus.connections.partial.ca-pem-path"
                            + " together; set milvus.connections.partial.client-key-path and"
                            + " milvus.connections.partial.ca-pem-path")
                    .doesNotContain(PASSWORD);
        }
    }

    // ---------------------------------------------------------------- readiness

    @ParameterizedTest
    @EnumSource(Path.class)
    void readinessReportsEachAliasUpOrDownWithTheReasonAndNoSecret(Path path) throws Exception {
        Map<String, String> config = new LinkedHashMap<>();
        alias(
                config,
                "trusted",
                "uri",
                "https://localhost:" + TLS.server().port(),
                "ca-pem-path",
                CERTS.caPem().toString());
        alias(config, "untrusted", "uri", "https://localhost:" + TLS.server().port());
        alias(
                config,
                "mutual",
                "uri",
                "https://localhost:" + MUTUAL.server().port(),
                "ca-pem-path",
                CERTS.caPem().toString(),
                "client-pem-path",
                CERTS.clientPem().toString(),
                "client-key-path",
                CERTS.clientKey().toString());
        alias(config, "password", "uri", AUTH.server().uri(), "user", "root", "password", PASSWORD);
        alias(config, "wrong-password", "uri", AUTH.server().uri(), "user", "root", "password", "not-" + PASSWORD);
        alias(config, "token", "uri", AUTH.server().uri(), "token", TOKEN);
        alias(
                config,
                "plaintext-on-tls",
                "uri",
                "http://localhost:" + TLS.server().port());
        config.put("milvus.health.timeout", "3s");

        try (AutoCloseable c = Containers.useConfig(config);
                WeldContainer container = Containers.boot(
                        path,
                        MilvusReadinessCheck.class,
                        SmallRyeHealthReporter.class,
                        AsyncHealthCheckFactory.class)) {
            Map<String, String> data = settledReadiness(container);

            assertThat(data)
                    .containsOnlyKeys(
                            "trusted",
                            "untrusted",
                            "mutual",
                            "password",
                            "wrong-password",
                            "token",
                            "plaintext-on-tls");
            String up = " db=default version=milvus_lite-\\S+ latency=\\d+ms";
            assertThat(data.get("trusted"))
                    .matches("UP localhost:" + TLS.server().port() + " tls" + up);
            assertThat(data.get("mutual"))
                    .matches("UP localhost:" + MUTUAL.server().port() + " tls" + up);
            assertThat(data.get("password")).matches("UP " + quote(AUTH.server().address()) + up);
            assertThat(data.get("token")).matches("UP " + quote(AUTH.server().address()) + up);
            assertThat(data.get("untrusted"))
                    .startsWith("DOWN localhost:" + TLS.server().port() + " tls db=default ")
                    .contains("reason=")
                    .contains("the server's certificate was not trusted");
            assertThat(data.get("wrong-password"))
                    .startsWith("DOWN " + AUTH.server().address() + " db=default ")
                    .contains("reason=")
                    .contains("UNAUTHENTICATED: auth check failure");
            assertThat(data.get("plaintext-on-tls"))
                    .startsWith("DOWN localhost:" + TLS.server().port() + " db=default ")
                    .contains("reason=")
                    .contains("the server expects TLS and the client does not use it");
            SECRETS.assertNoneIn("the readiness entries", data.toString());
        }
    }

    // ---------------------------------------------------------------- helpers

    /** Connects through injection, then writes and searches a collection. */
    private static void roundTrips(Path path, String name, Map<String, String> config) throws Exception {
        try (AutoCloseable c = Containers.useConfig(config);
                WeldContainer container = Containers.boot(path, Application.class)) {
            MilvusClientV2 client =
                    container.select(Application.class).get().secured.get();
            String collection = name + "_" + path.name().toLowerCase();
            VectorRoundTrip.createAndFill(client, collection);
            assertThat(VectorRoundTrip.nearest(client, collection, 3)).isEqualTo(3);
        }
    }

    /**
     * Connects through injection, expecting a failure within the connect-timeout plus a bounded
     * diagnosis (a generous bound, only to catch a hang); checks that no secret shows anywhere.
     */
    private static MilvusConnectionException connectFails(Path path, Map<String, String> config) throws Exception {
        try (AutoCloseable c = Containers.useConfig(config);
                WeldContainer container = Containers.boot(path, Application.class)) {
            Application application = container.select(Application.class).get();
            long started = System.nanoTime();
            Throwable failure = catchThrowable(() -> application.secured.get());
            Duration took = Duration.ofNanos(System.nanoTime() - started);

            assertThat(took).as("a generous bound that only catches a hang").isLessThan(HANG);
            assertThat(failure).as("connecting fails").isNotNull();
            String text = ExtensionTest.stackText(failure);
            SECRETS.assertNoneIn("the failure", text);
            for (Throwable t = failure; t != null; t = t.getCause()) {
                if (t instanceof MilvusConnectionException) {
                    assertThat(((MilvusConnectionException) t).alias()).isEqualTo(ALIAS);
                    return (MilvusConnectionException) t;
                }
            }
            throw new AssertionError("no MilvusConnectionException in " + text, failure);
        }
    }

    /** The alias {@value #ALIAS} with short timeouts, settings milvus-lite needs, and the given keys. */
    private static Map<String, String> config(String... keysAndValues) {
        Map<String, String> config = new LinkedHashMap<>();
        alias(config, ALIAS, keysAndValues);
        return config;
    }

    private static void alias(Map<String, String> config, String alias, String... keysAndValues) {
        String prefix = "milvus.connections." + alias + ".";
        config.put(prefix + "connect-timeout", "2s");
        config.put(prefix + "rpc-deadline", "10s");
        config.put(prefix + "keep-alive-without-calls", "false");
        for (int i = 0; i < keysAndValues.length; i += 2) {
            config.put(prefix + keysAndValues[i], keysAndValues[i + 1]);
        }
    }

    /** Probes readiness until no alias is still connecting, then returns the milvus check's entries. */
    private static Map<String, String> settledReadiness(WeldContainer container) {
        return ReadinessReport.awaitStatus(
                () -> {
                    String json = container
                            .select(SmallRyeHealthReporter.class)
                            .get()
                            .getReadiness()
                            .getPayload()
                            .toString();
                    SECRETS.assertNoneIn("a readiness probe", json);
                    return ReadinessReport.parse(json)
                            .check(MilvusReadinessCheck.NAME)
                            .entries();
                },
                data -> data.values().stream().noneMatch(entry -> entry.contains("reason=connecting")),
                Duration.ofSeconds(60));
    }

    private static String quote(String text) {
        return java.util.regex.Pattern.quote(text);
    }
}
