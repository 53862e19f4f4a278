package io.github.milvuscdi.quarkus.runtime.tls;

import io.github.milvuscdi.internal.config.PemBlocks;
import io.quarkus.tls.TlsConfiguration;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Collections;
import java.util.Comparator;
import java.util.stream.Stream;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.X509KeyManager;

/**
 * The TLS registry's certificates as the PEM files the SDK reads, one subfolder per alias in a folder only this
 * user can read, written again at each connect and deleted when the application stops. The key is read through
 * the configuration's key manager, which knows its password. The SDK reads the files when it builds a channel
 * only: rewriting them leaves the channels already built as they are. Thread-safe.
 */
final class PemFolder {

    /** The files written; a {@code null} path for what the configuration does not have. */
    record Written(String trustedPem, String clientPem, String clientKey) {}

    /**
     * A TLS configuration's certificates as PEM text, as they are at one moment; {@code null} for what it does not
     * have. Its {@link #toString()} shows no key.
     */
    record Certificates(String trusted, String clientChain, String clientKey) {

        /** A digest of the whole, to tell whether the registry's certificates changed since an alias connected. */
        byte[] digest() {
            try {
                MessageDigest digest = MessageDigest.getInstance("SHA-256");
                for (String part : new String[] {trusted, clientChain, clientKey}) {
                    digest.update(String.valueOf(part).getBytes(StandardCharsets.UTF_8));
                    digest.update((byte) 0);
                }
                return digest.digest();
            } catch (NoSuchAlgorithmException impossible) {
                throw new IllegalStateException(impossible);
            }
        }

        @Override
        public String toString() {
            return "Certificates[trusted=" + (trusted != null) + ", client=" + (clientChain != null) + "]";
        }
    }

    private Path root;

    /**
     * Reads a configuration's certificates as they are now.
     *
     * @throws IllegalStateException naming the alias when they cannot be read
     */
    static Certificates read(String alias, TlsConfiguration tls, Vertx vertx) {
        try {
            String trusted = null;
            KeyStore trustStore = tls.getTrustStore();
            if (trustStore != null) {
                StringBuilder pem = new StringBuilder();
                for (String entry : Collections.list(trustStore.aliases())) {
                    Certificate certificate = trustStore.getCertificate(entry);
                    if (certificate != null) {
                        PemBlocks.append(pem, "CERTIFICATE", certificate.getEncoded());
                    }
                }
                trusted = pem.toString();
            }
            if (tls.getKeyStoreOptions() == null) {
                return new Certificates(trusted, null, null);
            }
            KeyManagerFactory factory = tls.getKeyStoreOptions().getKeyManagerFactory(vertx);
            for (KeyManager manager : factory.getKeyManagers()) {
                if (manager instanceof X509KeyManager keys) {
                    String[] aliases = keys.getClientAliases("EC", null);
                    if (aliases == null || aliases.length == 0) {
                        aliases = keys.getClientAliases("RSA", null);
                    }
                    if (aliases != null && aliases.length > 0) {
                        PrivateKey key = keys.getPrivateKey(aliases[0]);
                        StringBuilder chain = new StringBuilder();
                        for (X509Certificate certificate : keys.getCertificateChain(aliases[0])) {
                            PemBlocks.append(chain, "CERTIFICATE", certificate.getEncoded());
                        }
                        StringBuilder keyPem = new StringBuilder();
                        PemBlocks.append(keyPem, "PRIVATE KEY", key.getEncoded());
                        return new Certificates(trusted, chain.toString(), keyPem.toString());
                    }
                }
            }
            return new Certificates(trusted, null, null);
        } catch (Exception failed) {
            throw new IllegalStateException(
                    "Milvus alias '" + alias + "': cannot read the TLS registry's" + " certificates: "
                            + failed.getMessage(),
                    failed);
        }
    }

    synchronized Written write(String alias, Certificates certificates) {
        try {
            if (root == null) {
                root = FileSystems.getDefault().supportedFileAttributeViews().contains("posix")
                        ? Files.createTempDirectory(
                                "milvus-cdi-quarkus-tls",
                                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")))
                        : Files.createTempDirectory("milvus-cdi-quarkus-tls");
            }
            Path folder = Files.createDirectories(root.resolve(Integer.toHexString(alias.hashCode())));
            String trusted = certificates.trusted() == null
                    ? null
                    : write(folder.resolve("trusted.pem"), certificates.trusted());
            if (certificates.clientChain() == null) {
                return new Written(trusted, null, null);
            }
            return new Written(
                    trusted,
                    write(folder.resolve("client.pem"), certificates.clientChain()),
                    write(folder.resolve("client.key"), certificates.clientKey()));
        } catch (IOException failed) {
            throw new UncheckedIOException(
                    "Milvus alias '" + alias + "': cannot write the TLS registry's" + " certificates for the SDK: "
                            + failed.getMessage(),
                    failed);
        }
    }

    synchronized void delete() {
        if (root == null) {
            return;
        }
        try (Stream<Path> files = Files.walk(root)) {
            files.sorted(Comparator.reverseOrder())
                    .forEach(file -> file.toFile().delete());
        } catch (IOException | UncheckedIOException ignored) {
            root.toFile().deleteOnExit();
        }
        root = null;
    }

    private static String write(Path file, String pem) throws IOException {
        Path written = Files.createTempFile(file.getParent(), "pem", ".tmp");
        Files.writeString(written, pem);
        return Files.move(written, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE)
                .toString();
    }
}
