package io.github.milvuscdi.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.milvuscdi.launcher.Clients;
import io.github.milvuscdi.launcher.MilvusLiteOptions;
import io.github.milvuscdi.launcher.MilvusLiteServer;
import io.milvus.v2.client.ConnectConfig;
import io.milvus.v2.client.MilvusClientV2;
import io.milvus.v2.client.RetryConfig;
import io.milvus.v2.service.collection.request.LoadCollectionReq;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Servers behind TLS, mutual TLS and credentials: the certificates are what they claim, the server
 * enforces what it was asked to, the SDK gets through with the right material, and stop/restart
 * keep working. The CDI-level behaviour is tested in the extension module.
 */
class SecuredServerTest {

    private static final TestCertificates CERTS = TestCertificates.generate();

    @Test
    void certificatesCarryTheNamesAndPurposesTheyClaim() throws Exception {
        X509Certificate ca = read(CERTS.caPem());
        X509Certificate server = read(CERTS.serverPem());
        X509Certificate other = read(CERTS.otherNamePem());
        X509Certificate client = read(CERTS.clientPem());

        assertThat(ca.getBasicConstraints()).as("a CA").isGreaterThanOrEqualTo(0);
        for (X509Certificate signed : List.of(server, other, client)) {
            signed.verify(ca.getPublicKey());
            assertThat(signed.getBasicConstraints()).as("not a CA").isEqualTo(-1);
        }
        assertThat(server.getSubjectAlternativeNames())
                .extracting(name -> (Object) name.get(1))
                .containsExactly((Object) "localhost", "127.0.0.1");
        assertThat(other.getSubjectAlternativeNames())
                .extracting(name -> (Object) name.get(1))
                .containsExactly((Object) TestCertificates.OTHER_NAME);
        assertThat(client.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.2");
        assertThat(Files.readString(CERTS.clientKey())).startsWith("-----BEGIN PRIVATE KEY-----\n");
    }

    @Test
    void mutualTlsWithCredentialsAdmitsOnlyTheRightClientAndSurvivesARestart() throws Exception {
        MilvusLiteOptions options = MilvusLiteOptions.plaintext()
                .tls(CERTS)
                .mutualTls()
                .credentials("root", "Pa55-secret")
                .token("api-key-secret");
        try (MilvusLiteServer server = MilvusLiteServer.start("mutual-auth", options)) {
            assertThat(server.uri()).isEqualTo("https://" + server.address());
            assertThat(server.toString())
                    .isEqualTo("MilvusLiteServer[mutual-auth@" + server.address()
                            + ", mutual TLS as localhost, 2 accepted credentials]");
            MilvusClientV2 client = connect(server, mutual().token("api-key-secret"));
            try {
                Clients.createPoints(client, "kept");
                assertThat(Clients.nearest(client, "kept", 0.9f, 0.1f, 0, 0)).isEqualTo(1L);

                server.restart();

                assertThat(Clients.exists(client, "kept")).isTrue();
                client.loadCollection(
                        LoadCollectionReq.builder().collectionName("kept").build());
                assertThat(Clients.nearest(client, "kept", 0, 0, 0.2f, 0.9f)).isEqualTo(4L);
            } finally {
                Clients.close(client);
            }
            assertThatThrownBy(() -> connect(server, mutual().token("root:wrong")))
                    .hasStackTraceContaining(
                            "UNAUTHENTICATED: auth check failure, please check username and" + " password are correct");
            assertThatThrownBy(() -> connect(server, mutual()))
                    .hasStackTraceContaining("UNAUTHENTICATED: missing authorization in header");
            assertThatThrownBy(() -> connect(server, oneWay().token("root:Pa55-secret")))
                    .as("without a client certificate")
                    .isInstanceOf(RuntimeException.class);
            String log = Files.readString(server.logFile());
            assertThat(log)
                    .contains("over mutual TLS, 2 accepted authorization(s)")
                    .doesNotContain("Pa55-secret")
                    .doesNotContain("api-key-secret");
        }
    }

    @Test
    void tlsWithTheOtherNameNeedsThatNameAsServerName() throws Exception {
        try (MilvusLiteServer server = MilvusLiteServer.start(
                "other-name", MilvusLiteOptions.plaintext().tlsWithOtherName(CERTS))) {
            MilvusClientV2 client = connect(server, oneWay().serverName(TestCertificates.OTHER_NAME));
            try {
                assertThat(client.getServerVersion()).startsWith("milvus_lite-");
            } finally {
                Clients.close(client);
            }
            assertThatThrownBy(() -> connect(server, oneWay().serverName("localhost")))
                    .isInstanceOf(RuntimeException.class);
        }
    }

    private static ConnectConfig.ConnectConfigBuilder mutual() {
        return ConnectConfig.builder()
                .secure(true)
                .serverName("localhost")
                .caPemPath(CERTS.caPem().toString())
                .clientPemPath(CERTS.clientPem().toString())
                .clientKeyPath(CERTS.clientKey().toString());
    }

    private static ConnectConfig.ConnectConfigBuilder oneWay() {
        return ConnectConfig.builder()
                .secure(true)
                .serverName("localhost")
                .serverPemPath(CERTS.caPem().toString());
    }

    private static MilvusClientV2 connect(MilvusLiteServer server, ConnectConfig.ConnectConfigBuilder config) {
        MilvusClientV2 client = new MilvusClientV2(config.uri(server.uri())
                .connectTimeoutMs(2_000)
                .rpcDeadlineMs(10_000)
                .keepAliveWithoutCalls(false)
                .build());
        client.retryConfig(RetryConfig.builder().maxRetryTimes(1).build());
        return client;
    }

    private static X509Certificate read(java.nio.file.Path pem) throws Exception {
        return (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(Files.readAllBytes(pem)));
    }
}
