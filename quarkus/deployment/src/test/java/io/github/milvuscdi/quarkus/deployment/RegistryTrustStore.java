package io.github.milvuscdi.quarkus.deployment;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;

/** A PKCS12 trust store for Quarkus's TLS registry, replaced at once so that a reload never reads it half written. */
final class RegistryTrustStore {

    static final String PASSWORD = "Registry-Pa55";

    private RegistryTrustStore() {}

    /**
     * Writes a trust store holding these CA certificates.
     *
     * @param file the trust store
     * @param caPems PEM files of one certificate each
     */
    static void write(Path file, Path... caPems) {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            for (int i = 0; i < caPems.length; i++) {
                try (InputStream in = Files.newInputStream(caPems[i])) {
                    store.setCertificateEntry(
                            "ca-" + i, CertificateFactory.getInstance("X.509").generateCertificate(in));
                }
            }
            Path written = Files.createTempFile(file.toAbsolutePath().getParent(), "trust", ".tmp");
            try (OutputStream out = Files.newOutputStream(written)) {
                store.store(out, PASSWORD.toCharArray());
            }
            Files.move(written, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (Exception failed) {
            throw new IllegalStateException("Cannot write the trust store " + file + ": " + failed, failed);
        }
    }
}
