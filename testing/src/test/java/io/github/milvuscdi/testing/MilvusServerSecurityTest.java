package io.github.milvuscdi.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.milvuscdi.launcher.Clients;
import io.github.milvuscdi.launcher.MilvusServer;
import io.github.milvuscdi.launcher.MilvusServerOptions;
import io.milvus.v2.client.ConnectConfig;
import io.milvus.v2.client.MilvusClientV2;
import io.milvus.v2.client.RetryConfig;
import io.milvus.v2.service.rbac.request.CreateUserReq;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The real server's own TLS, mutual TLS and authentication (no launcher in between): the right
 * client gets through, the wrong one does not. The CDI-level behaviour is tested in the extension
 * module.
 */
class MilvusServerSecurityTest {

    private static final TestCertificates CERTS = TestCertificates.generate();

    @Test
    void oneWayTlsAdmitsAClientThatTrustsTheCaAndRejectsPlaintext() throws Exception {
        try (MilvusServer server =
                MilvusServer.start("tls", MilvusServerOptions.plaintext().tls(CERTS))) {
            assertThat(server.uri()).startsWith("https://127.0.0.1:");
            assertThat(answers(server, config -> config)).isEqualTo("v2.3.5-lite");

            assertThatThrownBy(() -> answers(
                            server,
                            config -> config.uri("http://" + server.address())
                                    .secure(false)
                                    .serverPemPath(null)
                                    .serverName(null)))
                    .isInstanceOf(RuntimeException.class);
        }
    }

    @Test
    void mutualTlsRequiresAClientCertificate() throws Exception {
        try (MilvusServer server = MilvusServer.start(
                "mtls", MilvusServerOptions.plaintext().tls(CERTS).mutualTls())) {
            assertThat(answers(server, config -> config)).isEqualTo("v2.3.5-lite");

            // One-way TLS with the same trust but no client certificate.
            assertThatThrownBy(() -> answers(
                            server,
                            config -> config.caPemPath(null)
                                    .clientPemPath(null)
                                    .clientKeyPath(null)
                                    .serverPemPath(CERTS.caPem().toString())))
                    .isInstanceOf(RuntimeException.class);
        }
    }

    @Test
    void authenticationAdmitsRootAndCreatedUsersAndRejectsAWrongPassword() throws Exception {
        try (MilvusServer server =
                MilvusServer.start("auth", MilvusServerOptions.plaintext().authentication())) {
            MilvusClientV2 root = client(server, config -> config);
            try {
                root.createUser(CreateUserReq.builder()
                        .userName("reader")
                        .password("Reader-Pa55")
                        .build());
            } finally {
                Clients.close(root);
            }

            assertThat(answers(server, config -> config.username("reader").password("Reader-Pa55")))
                    .isEqualTo("v2.3.5-lite");
            assertThat(answers(server, config -> withoutCredentials(server).token("reader:Reader-Pa55")))
                    .isEqualTo("v2.3.5-lite");
            assertThatThrownBy(() ->
                            answers(server, config -> config.username("reader").password("wrong")))
                    .isInstanceOf(RuntimeException.class);
            assertThatThrownBy(() -> answers(server, config -> withoutCredentials(server)))
                    .isInstanceOf(RuntimeException.class);
        }
    }

    private static ConnectConfig.ConnectConfigBuilder withoutCredentials(MilvusServer server) {
        return ConnectConfig.builder().uri(server.uri()).connectTimeoutMs(5000).rpcDeadlineMs(10_000);
    }

    /** Connects with the server's own client settings, changed by {@code change}, and asks the version. */
    private static String answers(MilvusServer server, UnaryOperator<ConnectConfig.ConnectConfigBuilder> change)
            throws InterruptedException {
        MilvusClientV2 client = client(server, change);
        try {
            // Needs authentication, and no privilege: a new user has none (ListDatabases is denied).
            return client.getServerVersion();
        } finally {
            Clients.close(client);
        }
    }

    private static MilvusClientV2 client(
            MilvusServer server, UnaryOperator<ConnectConfig.ConnectConfigBuilder> change) {
        MilvusClientV2 client =
                new MilvusClientV2(change.apply(server.clientConfig()).build());
        client.retryConfig(RetryConfig.builder().maxRetryTimes(1).build());
        return client;
    }
}
