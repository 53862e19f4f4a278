package io.github.milvuscdi.backends;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/** PKCS12 and JKS key stores made from the kit's PEM certificates, as EE shops keep them. */
final class TestKeyStores {

    static final String PASSWORD = "Store-Pa55word";

    private TestKeyStores() {}

    /** A store of type {@code type} trusting every certificate of the PEM files, written to {@code file}. */
    static Path trustStore(Path file, String type, Path... pems) throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance(type);
        store.load(null, null);
        int n = 0;
        for (Path pem : pems) {
            for (Certificate certificate : certificates(pem)) {
                store.setCertificateEntry("trusted-" + n++, certificate);
            }
        }
        return save(store, file);
    }

    /** A store of type {@code type} holding the PEM key and its certificate under the one {@link #PASSWORD}. */
    static Path keyStore(Path file, String type, Path certificatePem, Path keyPem)
            throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance(type);
        store.load(null, null);
        PrivateKey key = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(der(keyPem)));
        store.setKeyEntry(
                "client",
                key,
                PASSWORD.toCharArray(),
                certificates(certificatePem).toArray(new Certificate[0]));
        return save(store, file);
    }

    private static Path save(KeyStore store, Path file) throws IOException, GeneralSecurityException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path written = Files.createTempFile(file.toAbsolutePath().getParent(), "store", ".tmp");
        try (OutputStream out = Files.newOutputStream(written)) {
            store.store(out, PASSWORD.toCharArray());
        }
        // replaced at once, as Kubernetes and cert-manager do: a reader never sees half a file
        return Files.move(
                written,
                file,
                java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    private static List<Certificate> certificates(Path pem) throws IOException, GeneralSecurityException {
        try (var in = Files.newInputStream(pem)) {
            return new ArrayList<>(CertificateFactory.getInstance("X.509").generateCertificates(in));
        }
    }

    private static byte[] der(Path pem) throws IOException {
        String text = Files.readString(pem).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        return Base64.getDecoder().decode(text);
    }
}
