package io.github.milvuscdi.internal.client;

import io.github.milvuscdi.internal.config.CertificateStores;
import io.github.milvuscdi.internal.config.ConnectionSettings;
import io.github.milvuscdi.internal.config.KeyStoreFile;
import io.github.milvuscdi.internal.config.KeyStores;
import io.github.milvuscdi.internal.config.PemBlocks;
import io.milvus.v2.client.ConnectConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.util.Collections;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The key stores of an alias ({@code trust-store}, {@code key-store}) written as the PEM files the SDK takes: it
 * builds its TLS context from PEM paths only (its {@code SSLContext} option offers no ALPN, which gRPC needs).
 * The files live in a folder only this user can read, for as long as the channel takes to be built; the stores
 * are read again at every connect, so a reconnect after they changed takes the new certificates.
 *
 * <p>Not thread-safe; one per connect.
 */
final class StorePemFiles implements AutoCloseable {

    private final ConnectConfig config;
    private final Path folder;

    private StorePemFiles(ConnectConfig config, Path folder) {
        this.config = config;
        this.folder = folder;
    }

    /**
     * Writes the alias's key stores as PEM files and points the configuration at them: the trusted certificates as
     * the CA of mutual TLS or as the one-way trust, the client's key and certificate chain for mutual TLS.
     *
     * @return the files, to close once the channel is built; {@code null} when the alias has no key store
     * @throws IllegalStateException when a store cannot be read any more, naming its key and path
     */
    static StorePemFiles write(ConnectionSettings settings, ConnectConfig config) {
        CertificateStores stores = settings.stores();
        if (!stores.any() || !settings.secure()) {
            return null;
        }
        Path folder;
        try {
            folder = privateFolder();
        } catch (IOException failed) {
            throw new UncheckedIOException(
                    "Milvus alias '" + settings.alias() + "': cannot write the certificates of "
                            + "its key stores to a temporary folder: " + failed.getMessage(),
                    failed);
        }
        StorePemFiles files = new StorePemFiles(config, folder);
        try {
            if (stores.trustStore() != null) {
                Path trusted = files.certificates(settings, stores.trustStore());
                if (settings.mutualTls()) {
                    config.setCaPemPath(trusted.toString());
                } else {
                    config.setServerPemPath(trusted.toString());
                }
            }
            if (stores.keyStore() != null) {
                files.clientKey(settings, stores.keyStore());
            }
        } catch (RuntimeException failed) {
            files.close();
            throw failed;
        }
        return files;
    }

    /** Writes every certificate of a store into one PEM file. */
    private Path certificates(ConnectionSettings settings, KeyStoreFile store) {
        KeyStore keyStore = open(settings, store);
        StringBuilder pem = new StringBuilder();
        try {
            for (String entry : Collections.list(keyStore.aliases())) {
                Certificate certificate = keyStore.getCertificate(entry);
                if (certificate != null) {
                    PemBlocks.append(pem, "CERTIFICATE", certificate.getEncoded());
                }
            }
        } catch (GeneralSecurityException unreadable) {
            throw unusable(settings, store, unreadable.getMessage());
        }
        return writeFile("trusted.pem", pem.toString());
    }

    /** Writes the first private key of a store, unencrypted PKCS#8, and its certificate chain. */
    private void clientKey(ConnectionSettings settings, KeyStoreFile store) {
        KeyStore keyStore = open(settings, store);
        try {
            for (String entry : Collections.list(keyStore.aliases())) {
                if (!keyStore.isKeyEntry(entry)) {
                    continue;
                }
                Key key = keyStore.getKey(entry, store.passwordChars());
                Certificate[] chain = keyStore.getCertificateChain(entry);
                if (key instanceof PrivateKey && chain != null && chain.length > 0) {
                    StringBuilder certificates = new StringBuilder();
                    for (Certificate certificate : chain) {
                        PemBlocks.append(certificates, "CERTIFICATE", certificate.getEncoded());
                    }
                    StringBuilder privateKey = new StringBuilder();
                    PemBlocks.append(privateKey, "PRIVATE KEY", key.getEncoded());
                    config.setClientPemPath(
                            writeFile("client.pem", certificates.toString()).toString());
                    config.setClientKeyPath(
                            writeFile("client.key", privateKey.toString()).toString());
                    return;
                }
            }
        } catch (GeneralSecurityException unreadable) {
            throw unusable(settings, store, unreadable.getMessage());
        }
        throw unusable(settings, store, "it holds no private key with its certificate");
    }

    private static KeyStore open(ConnectionSettings settings, KeyStoreFile store) {
        try {
            return KeyStores.open(store);
        } catch (KeyStores.Unusable unusable) {
            throw unusable(settings, store, "it " + unusable.getMessage());
        }
    }

    private static IllegalStateException unusable(ConnectionSettings settings, KeyStoreFile store, String why) {
        return new IllegalStateException("Milvus alias '" + settings.alias() + "': "
                + store.pathKey().fullKey(settings.alias()) + "='" + store.path() + "' cannot be used: " + why);
    }

    private Path writeFile(String name, String content) {
        Path file = folder.resolve(name);
        try {
            Files.writeString(file, content);
            return file;
        } catch (IOException failed) {
            throw new UncheckedIOException("cannot write " + file + ": " + failed.getMessage(), failed);
        }
    }

    private static Path privateFolder() throws IOException {
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            return Files.createTempDirectory(
                    "milvus-cdi-tls",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        Path folder = Files.createTempDirectory("milvus-cdi-tls");
        folder.toFile().setReadable(false, false);
        folder.toFile().setReadable(true, true);
        return folder;
    }

    /**
     * Deletes the files (the channel read them when it was built) and takes their paths out of the configuration,
     * so that the next connect writes them again from the stores as they are then.
     */
    @Override
    public void close() {
        if (config.getServerPemPath() != null && config.getServerPemPath().startsWith(folder.toString())) {
            config.setServerPemPath(null);
        }
        if (config.getCaPemPath() != null && config.getCaPemPath().startsWith(folder.toString())) {
            config.setCaPemPath(null);
        }
        if (config.getClientPemPath() != null && config.getClientPemPath().startsWith(folder.toString())) {
            config.setClientPemPath(null);
            config.setClientKeyPath(null);
        }
        try (Stream<Path> files = Files.walk(folder)) {
            files.sorted(Comparator.reverseOrder())
                    .forEach(file -> file.toFile().delete());
        } catch (IOException | UncheckedIOException ignored) {
            folder.toFile().deleteOnExit();
        }
    }
}
