package io.github.milvuscdi.docs;

import io.github.milvuscdi.testing.TestCertificates;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;

/**
 * The user's key stores for the documentation's accepted snippets: a {@code trust-store} and a {@code key-store}
 * (PKCS12) whose password is what a snippet's {@code ${VAR}} reads as, {@code x}.
 */
final class SnippetKeyStores {

    private SnippetKeyStores() {}

    /** @return the trust store, then the key store */
    static Path[] write(Path dir) throws IOException {
        TestCertificates certs = TestCertificates.generate(dir.resolve("certificates"));
        try {
            CertificateFactory x509 = CertificateFactory.getInstance("X.509");
            Certificate ca;
            Certificate client;
            try (InputStream in = Files.newInputStream(certs.caPem())) {
                ca = x509.generateCertificate(in);
            }
            try (InputStream in = Files.newInputStream(certs.clientPem())) {
                client = x509.generateCertificate(in);
            }
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("ca", ca);
            KeyStore key = KeyStore.getInstance("PKCS12");
            key.load(null, null);
            String pem = Files.readString(certs.clientKey())
                    .replaceAll("-----[A-Z ]+-----", "")
                    .replaceAll("\\s", "");
            key.setKeyEntry(
                    "client",
                    KeyFactory.getInstance("EC")
                            .generatePrivate(
                                    new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pem))),
                    "x".toCharArray(),
                    new Certificate[] {client});
            return new Path[] {save(trust, dir.resolve("trust.p12")), save(key, dir.resolve("key.p12"))};
        } catch (GeneralSecurityException failed) {
            throw new IOException(failed);
        }
    }

    private static Path save(KeyStore store, Path file) throws IOException, GeneralSecurityException {
        try (OutputStream out = Files.newOutputStream(file)) {
            store.store(out, "x".toCharArray());
        }
        return file;
    }
}
