package io.github.milvuscdi.backends;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.github.milvuscdi.MilvusConnection;
import io.github.milvuscdi.MilvusConnectionException;
import io.github.milvuscdi.internal.cdi.TroubleshootingPage;
import io.github.milvuscdi.launcher.MilvusBackend;
import io.github.milvuscdi.launcher.MilvusServerOptions;
import io.github.milvuscdi.launcher.MilvusTestServer;
import io.github.milvuscdi.testing.TestCertificates;
import io.github.milvuscdi.testing.VectorRoundTrip;
import io.milvus.v2.client.MilvusClientV2;
import io.milvus.v2.service.rbac.request.CreateUserReq;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jboss.weld.environment.se.WeldContainer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * TLS, mutual TLS and credentials through configuration keys, on both backends. On Milvus's own
 * server the server itself does TLS and authentication ({@code tlsMode}, {@code authorizationEnabled});
 * on milvus-lite the kit's launcher does. No failure may show the password.
 */
class SecuredConnectionsTest {

    private static final TestCertificates CERTS = TestCertificates.generate();
    private static final String ALIAS = "secured";

    private static final Backends.PerBackend TLS =
            new Backends.PerBackend("tls", MilvusServerOptions.plaintext().tls(CERTS));
    private static final Backends.PerBackend MUTUAL = new Backends.PerBackend(
            "mutual", MilvusServerOptions.plaintext().tls(CERTS).mutualTls());
    private static final Backends.PerBackend AUTH =
            new Backends.PerBackend("auth", MilvusServerOptions.plaintext().authentication());

    @Dependent
    static class Application {
        @Inject
        @MilvusConnection(ALIAS)
        Instance<MilvusClientV2> secured;
    }

    @AfterAll
    static void closeServers() {
        TLS.close();
        MUTUAL.close();
        AUTH.close();
    }

    @ParameterizedTest
    @EnumSource(MilvusBackend.class)
    void oneWayTlsWithTheServerCertificateRoundTrips(MilvusBackend backend) throws Exception {
        MilvusTestServer server = TLS.server(backend);
        roundTrips(
                backend,
                "one_way_tls",
                config(
                        backend,
                        "uri",
                        "https://localhost:" + server.port(),
                        "server-pem-path",
                        CERTS.serverPem().toString()));
    }

    @ParameterizedTest
    @EnumSource(MilvusBackend.class)
    void mutualTlsWithAClientCertificateRoundTrips(MilvusBackend backend) throws Exception {
        MilvusTestServer server = MUTUAL.server(backend);
        roundTrips(
                backend,
                "mutual_tls",
                config(
                        backend,
                        "uri",
                        "https://localhost:" + server.port(),
                        "ca-pem-path",
                        CERTS.caPem().toString(),
                        "client-pem-path",
                        CERTS.clientPem().toString(),
                        "client-key-path",
                        CERTS.clientKey().toString()));
    }

    @ParameterizedTest
    @EnumSource(MilvusBackend.class)
    void oneWayTlsTrustingAPkcs12TrustStoreRoundTrips(MilvusBackend backend) throws Exception {
        MilvusTestServer server = TLS.server(backend);
        Path store = TestKeyStores.trustStore(CERTS.directory().resolve("trust.p12"), "PKCS12", CERTS.caPem());
        roundTrips(
                backend,
                "pkcs12_trust",
                config(
                        backend,
                        "uri",
                        "https://localhost:" + server.port(),
                        "trust-store",
                        store.toString(),
                        "trust-store-password",
                        TestKeyStores.PASSWORD));
    }

    @ParameterizedTest
    @EnumSource(MilvusBackend.class)
    void oneWayTlsTrustingAJksTrustStoreRoundTrips(MilvusBackend backend) throws Exception {
        MilvusTestServer server = TLS.server(backend);
        Path store = TestKeyStores.trustStore(CERTS.directory().resolve("trust.jks"), "JKS", CERTS.caPem());
        roundTrips(
                backend,
                "jks_trust",
                config(
                        backend,
                        "uri",
                        "https://localhost:" + server.port(),
                        "trust-store",
                        store.toString(),
                        "trust-store-password",
                        TestKeyStores.PASSWORD));
    }

    @ParameterizedTest
    @EnumSource(MilvusBackend.class)
    void mutualTlsWithAPkcs12KeyStoreRoundTrips(MilvusBackend backend) throws Exception {
        MilvusTestServer server = MUTUAL.server(backend);
        Path trust = TestKeyStores.trustStore(CERTS.directory().resolve("ca.p12"), "PKCS12", CERTS.caPem());
        Path key = TestKeyStores.keyStore(
                CERTS.directory().resolve("client.keystore"), "PKCS12", CERTS.clientPem(), CERTS.clientKey());
        roundTrips(
                backend,
                "pkcs12_mutual",
                config(
                        backend,
                        "uri",
                        "https://localhost:" + server.port(),
                        "trust-store",
                        trust.toString(),
                        "trust-store-password",
                        TestKeyStores.PASSWORD,
                        "key-store",
                        key.toString(),
                        "key-store-password",
                        TestKeyStores.PASSWORD,
                        "key-store-type",
                        "pkcs12"));
    }

    @ParameterizedTest
    @EnumSource(MilvusBackend.class)
    void mutualTlsWithoutAClientCertificateFailsAtOnceNamingTheKeys(MilvusBackend backend) throws Exception {
        MilvusTestServer server = MUTUAL.server(backend);
        MilvusConnectionException failure = connectFails(
                config(
                        backend,
                        "uri",
                        "https://localhost:" + server.port(),
                        "ca-pem-path",
                        CERTS.caPem().toString(),
                        "connect-timeout",
                        "10s"),
                "no password here");

        assertThat(failure.getMessage())
                .startsWith("Milvus alias 'secured': cannot connect to localhost:" + server.port()
                        + " over TLS (connect-timeout 10000 ms): the server requires a client certificate (mutual TLS):"
                        + " set milvus.connections.secured.client-pem-path and milvus.connections.secured.client-key-path"
                        + " to the client's certificate and key, and milvus.connections.secured.ca-pem-path to the CA"
                        + " that signed the server's (");
        // loose on purpose, as FailFastConnectTest's: the point is the 10 s a permanent failure used to wait
        assertThat(lastConnectTook)
                .as("fails long before connect-timeout (10 s): %s", failure.getMessage())
                .isLessThan(Duration.ofSeconds(5));
        TroubleshootingPage.assertQuotes(
                failure.getMessage(), ALIAS, "localhost:" + server.port(), "search", "localhost:19530");
    }

    @ParameterizedTest
    @EnumSource(MilvusBackend.class)
    void rootsUserAndPasswordRoundTrip(MilvusBackend backend) throws Exception {
        MilvusTestServer server = AUTH.server(backend);
        roundTrips(
                backend,
                "user_password",
                config(
                        backend,
                        "uri",
                        server.uri(),
                        "user",
                        MilvusServerOptions.ROOT_USER,
                        "password",
                        MilvusServerOptions.ROOT_PASSWORD));
    }

    @ParameterizedTest
    @EnumSource(MilvusBackend.class)
    void rootsCredentialsAsATokenRoundTrip(MilvusBackend backend) throws Exception {
        MilvusTestServer server = AUTH.server(backend);
        roundTrips(
                backend,
                "token",
                config(
                        backend,
                        "uri",
                        server.uri(),
                        "token",
                        MilvusServerOptions.ROOT_USER + ":" + MilvusServerOptions.ROOT_PASSWORD));
    }

    @ParameterizedTest
    @EnumSource(MilvusBackend.class)
    void aWrongPasswordIsRejectedNamingTheKeysAndNotThePassword(MilvusBackend backend) throws Exception {
        MilvusTestServer server = AUTH.server(backend);
        String wrong = "Not-" + MilvusServerOptions.ROOT_PASSWORD + "-42";
        MilvusConnectionException failure = connectFails(
                config(backend, "uri", server.uri(), "user", MilvusServerOptions.ROOT_USER, "password", wrong), wrong);

        // Milvus 2.3.5 and the milvus-lite launcher answer alike: UNAUTHENTICATED, with the same reason.
        assertThat(failure.getMessage())
                .startsWith("Milvus alias 'secured': cannot connect to " + server.address())
                .contains("the server rejected the credentials: check milvus.connections.secured.user and"
                        + " milvus.connections.secured.password, or milvus.connections.secured.token")
                .contains("UNAUTHENTICATED");
    }

    /**
     * Only Milvus's own server keeps users: milvus-lite has no RBAC (its launcher accepts the
     * credentials it was started with), so this runs on {@link MilvusBackend#MILVUS_SERVER} alone.
     */
    @Test
    void aUserCreatedOnTheServerConnectsWithItsOwnCredentials() throws Exception {
        MilvusTestServer server = AUTH.server(MilvusBackend.MILVUS_SERVER);
        Map<String, String> root = config(
                MilvusBackend.MILVUS_SERVER,
                "uri",
                server.uri(),
                "user",
                MilvusServerOptions.ROOT_USER,
                "password",
                MilvusServerOptions.ROOT_PASSWORD);
        try (AutoCloseable c = Backends.useConfig(root);
                WeldContainer container = Backends.boot(Application.class)) {
            container
                    .select(Application.class)
                    .get()
                    .secured
                    .get()
                    .createUser(CreateUserReq.builder()
                            .userName("analyst")
                            .password("Analyst-Pa55")
                            .build());
        }

        Map<String, String> analyst =
                config(MilvusBackend.MILVUS_SERVER, "uri", server.uri(), "user", "analyst", "password", "Analyst-Pa55");
        try (AutoCloseable c = Backends.useConfig(analyst);
                WeldContainer container = Backends.boot(Application.class)) {
            MilvusClientV2 client =
                    container.select(Application.class).get().secured.get();
            // A new user holds no privilege: GetVersion needs none; creating a collection would be denied.
            assertThat(client.getServerVersion()).isEqualTo("v2.3.5-lite");
        }
    }

    private static Map<String, String> config(MilvusBackend backend, String... keysAndValues) {
        Map<String, String> config = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            config.put("milvus.connections." + ALIAS + "." + keysAndValues[i], keysAndValues[i + 1]);
        }
        config.putIfAbsent("milvus.connections." + ALIAS + ".rpc-deadline", "30s");
        Backends.tune(config, ALIAS, backend);
        return config;
    }

    private static void roundTrips(MilvusBackend backend, String collection, Map<String, String> config)
            throws Exception {
        try (AutoCloseable c = Backends.useConfig(config);
                WeldContainer container = Backends.boot(Application.class)) {
            MilvusClientV2 client =
                    container.select(Application.class).get().secured.get();
            String name = collection + "_" + backend.name().toLowerCase();
            VectorRoundTrip.createAndFill(client, name);
            assertThat(VectorRoundTrip.nearest(client, name, 3)).isEqualTo(3);
        }
    }

    /** How long the last {@link #connectFails} waited for the client (the container's boot left out). */
    private static Duration lastConnectTook;

    private static MilvusConnectionException connectFails(Map<String, String> config, String secret) throws Exception {
        try (AutoCloseable c = Backends.useConfig(config);
                WeldContainer container = Backends.boot(Application.class)) {
            Application application = container.select(Application.class).get();
            long started = System.nanoTime();
            Throwable failure = catchThrowable(() -> application.secured.get());
            lastConnectTook = Duration.ofNanos(System.nanoTime() - started);
            assertThat(failure).as("connecting fails").isNotNull();
            StringWriter trace = new StringWriter();
            failure.printStackTrace(new PrintWriter(trace));
            assertThat(trace.toString()).doesNotContain(secret);
            for (Throwable t = failure; t != null; t = t.getCause()) {
                if (t instanceof MilvusConnectionException) {
                    return (MilvusConnectionException) t;
                }
            }
            throw new AssertionError("no MilvusConnectionException in " + trace, failure);
        }
    }
}
