package io.github.milvuscdi.internal.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.github.milvuscdi.MilvusConfigurationException;
import io.github.milvuscdi.testing.TestCertificates;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code trust-store} and {@code key-store} keys: a store that cannot be used fails the deployment naming the
 * alias, the key, the path and the fix, never the password.
 */
class KeyStoreKeysTest {

    private static final String PASSWORD = "Sekret-Store-42";
    private static final TestCertificates CERTS = TestCertificates.generate();

    private final ConnectionSettingsReader reader = new ConnectionSettingsReader(name -> null);

    private ConnectionSettings read(String... keyValues) {
        Map<String, String> keys = new HashMap<>();
        keys.put("uri", "https://localhost:19530");
        for (int i = 0; i < keyValues.length; i += 2) {
            keys.put(keyValues[i], keyValues[i + 1]);
        }
        return reader.read("search", keys);
    }

    private String problem(String... keyValues) {
        MilvusConfigurationException failure =
                catchThrowableOfType(MilvusConfigurationException.class, () -> read(keyValues));
        assertThat(failure).as("a configuration problem").isNotNull();
        return failure.getMessage();
    }

    private static Path trustStore(Path file, String type) throws Exception {
        KeyStore store = KeyStore.getInstance(type);
        store.load(null, null);
        try (var in = Files.newInputStream(CERTS.caPem())) {
            store.setCertificateEntry(
                    "ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        try (OutputStream out = Files.newOutputStream(file)) {
            store.store(out, PASSWORD.toCharArray());
        }
        return file;
    }

    @Test
    void aTrustStoreIsReadWithItsTypeFromTheFileNameAndTurnsTlsOn(@TempDir Path dir) throws Exception {
        ConnectionSettings jks = read(
                "uri",
                "http://localhost:19530",
                "trust-store",
                trustStore(dir.resolve("ca.jks"), "JKS").toString(),
                "trust-store-password",
                PASSWORD);
        assertThat(jks.secure()).isTrue();
        assertThat(jks.stores().trustStore().type()).isEqualTo("JKS");
        assertThat(jks.stores().trustStore().toString())
                .doesNotContain(PASSWORD)
                .contains("password=set");
        assertThat(jks.toString()).doesNotContain(PASSWORD);

        ConnectionSettings p12 = read(
                "trust-store",
                trustStore(dir.resolve("ca.p12"), "PKCS12").toString(),
                "trust-store-password",
                PASSWORD);
        assertThat(p12.stores().trustStore().type()).isEqualTo("PKCS12");
    }

    @Test
    void aWrongPasswordNamesThePasswordKeyButNeverThePassword(@TempDir Path dir) throws Exception {
        String store = trustStore(dir.resolve("ca.p12"), "PKCS12").toString();
        String wrong = "Not-" + PASSWORD;
        assertThat(problem("trust-store", store, "trust-store-password", wrong))
                .isEqualTo(
                        "Invalid Milvus configuration: alias 'search': milvus.connections.search.trust-store-password"
                                + "=(hidden) is wrong: it does not open trust-store '" + store
                                + "'; set the store's password")
                .doesNotContain(wrong);
        assertThat(problem("trust-store", store))
                .isEqualTo("Invalid Milvus configuration: alias 'search': milvus.connections.search.trust-store='"
                        + store + "' needs a password; set milvus.connections.search.trust-store-password to it");
    }

    @Test
    void aFileOfAnotherTypeOrNoFileNamesThePathAndWhatIsExpected(@TempDir Path dir) throws Exception {
        String jksNamedP12 = trustStore(dir.resolve("ca-really-jks.p12"), "JKS").toString();
        assertThat(read("trust-store", jksNamedP12, "trust-store-password", PASSWORD, "trust-store-type", "jks")
                        .stores()
                        .trustStore()
                        .type())
                .as("the type set says what the name does not")
                .isEqualTo("JKS");
        String pem = CERTS.caPem().toString();
        assertThat(problem("trust-store", pem, "trust-store-password", PASSWORD))
                .startsWith("Invalid Milvus configuration: alias 'search': milvus.connections.search.trust-store='"
                        + pem + "' cannot be read as a PKCS12 key store")
                .contains("expected a PKCS12 or JKS file");
        String missing = dir.resolve("nope.p12").toString();
        assertThat(problem("key-store", missing, "trust-store", jksNamedP12))
                .contains("milvus.connections.search.key-store='" + missing
                        + "' does not exist or cannot be read; expected the path of a readable key store");
        assertThat(problem("trust-store", jksNamedP12, "trust-store-type", "PEM"))
                .contains("milvus.connections.search.trust-store-type='PEM' is not a key store type; expected PKCS12 or"
                        + " JKS");
    }

    @Test
    void aKeyStoreNeedsACaAndOneSourceOfEachKind(@TempDir Path dir) throws Exception {
        String trust = trustStore(dir.resolve("ca.p12"), "PKCS12").toString();
        assertThat(problem("key-store", trust, "key-store-password", PASSWORD))
                .contains("milvus.connections.search.key-store='" + trust + "' holds no private key with its"
                        + " certificate")
                .contains("mutual TLS needs the CA that signed the server's certificate: set"
                        + " milvus.connections.search.trust-store (or milvus.connections.search.ca-pem-path)");
        assertThat(problem(
                        "trust-store",
                        trust,
                        "trust-store-password",
                        PASSWORD,
                        "ca-pem-path",
                        CERTS.caPem().toString()))
                .contains("set either milvus.connections.search.trust-store or milvus.connections.search.ca-pem-path,"
                        + " not both");
        assertThat(problem("trust-store-password", PASSWORD))
                .contains("milvus.connections.search.trust-store-password=(hidden) is set without trust-store")
                .doesNotContain(PASSWORD);
    }

    @Test
    void aTlsConfigurationNameOutsideQuarkusFailsSayingWhatToSetInstead() {
        assertThat(problem(
                        "tls-configuration-name",
                        "milvus",
                        "ca-pem-path",
                        CERTS.caPem().toString()))
                .contains("alias 'search': set either milvus.connections.search.tls-configuration-name or"
                        + " milvus.connections.search.ca-pem-path, not both")
                .contains("milvus.connections.search.tls-configuration-name='milvus' names a configuration of"
                        + " Quarkus's TLS registry, which is not here (Quarkus only); use"
                        + " milvus.connections.search.trust-store and milvus.connections.search.key-store, or the"
                        + " -pem-path keys, instead");
    }
}
