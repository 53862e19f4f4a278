package io.github.milvuscdi.quarkus.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.milvuscdi.launcher.MilvusLiteOptions;
import io.github.milvuscdi.launcher.MilvusLiteServer;
import io.github.milvuscdi.testing.TestCertificates;
import io.milvus.v2.client.MilvusClientV2;
import io.milvus.v2.service.collection.request.HasCollectionReq;
import io.quarkus.test.QuarkusUnitTest;
import jakarta.inject.Inject;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code tls-configuration-name}: an alias trusts a TLS server through a PKCS12 trust store of Quarkus's TLS
 * registry ({@code quarkus.tls.<name>.trust-store.p12.*}), with no certificate key of its own. Without it the
 * client would trust the JVM's public CAs only, and the handshake would fail.
 */
class TlsConfigurationNameTest {

    private static final String PASSWORD = "Registry-Pa55";
    private static final TestCertificates CERTS = TestCertificates.generate();
    private static final MilvusLiteServer SERVER = MilvusLiteServer.start(
            "quarkus-tls-registry", MilvusLiteOptions.plaintext().tls(CERTS));

    @RegisterExtension
    static final QuarkusUnitTest APP = new QuarkusUnitTest()
            .withEmptyApplication()
            .overrideConfigKey(
                    "quarkus.tls.milvus.trust-store.p12.path", trustStore().toString())
            .overrideConfigKey("quarkus.tls.milvus.trust-store.p12.password", PASSWORD)
            .overrideConfigKey("milvus.connections.default.uri", "https://localhost:" + SERVER.port())
            .overrideConfigKey("milvus.connections.default.tls-configuration-name", "milvus")
            .overrideConfigKey("milvus.connections.default.keep-alive-without-calls", "false");

    @Inject
    MilvusClientV2 client;

    @AfterAll
    static void stopServer() {
        SERVER.close();
    }

    @Test
    void theAliasTrustsTheServerThroughTheTlsRegistrysTrustStore() {
        assertThat(client.hasCollection(
                        HasCollectionReq.builder().collectionName("none_here").build()))
                .isFalse();
    }

    private static Path trustStore() {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            try (InputStream in = Files.newInputStream(CERTS.caPem())) {
                store.setCertificateEntry(
                        "ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
            }
            Path file = CERTS.directory().resolve("registry-trust.p12");
            try (OutputStream out = Files.newOutputStream(file)) {
                store.store(out, PASSWORD.toCharArray());
            }
            return file;
        } catch (Exception failed) {
            throw new IllegalStateException(failed);
        }
    }
}
