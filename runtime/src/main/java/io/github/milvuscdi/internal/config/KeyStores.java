package io.github.milvuscdi.internal.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.UnrecoverableKeyException;
import java.util.Collections;

/**
 * Opens the key stores of the {@code trust-store} and {@code key-store} keys, saying in the user's terms what is
 * wrong with one: when the alias is read, and again each time the file changes. Stateless and thread-safe.
 */
public final class KeyStores {

    private KeyStores() {}

    /** What is wrong with a key store, as a sentence that quotes no password; {@link #passwordKey} says which key. */
    public static final class Unusable extends Exception {
        private static final long serialVersionUID = 1L;
        private final boolean passwordKey;

        Unusable(String complaint, boolean passwordKey, Throwable cause) {
            super(complaint, cause);
            this.passwordKey = passwordKey;
        }

        /** @return whether the password is what is wrong (the message then names the password key) */
        public boolean passwordKey() {
            return passwordKey;
        }
    }

    /**
     * Opens a key store and checks that it holds what its key needs: a certificate for {@code trust-store}, a
     * private key with its certificate for {@code key-store}.
     *
     * @param store the store
     * @return the loaded store
     * @throws Unusable saying what is wrong and how to fix it
     */
    public static KeyStore open(KeyStoreFile store) throws Unusable {
        KeyStore keyStore;
        try {
            keyStore = KeyStore.getInstance(store.type());
        } catch (GeneralSecurityException unknown) {
            throw new Unusable(
                    "is not a key store type this JVM reads; expected " + KeyStoreFile.TYPES, false, unknown);
        }
        try (InputStream in = Files.newInputStream(Path.of(store.path()))) {
            keyStore.load(in, store.passwordChars());
        } catch (IOException failed) {
            if (failed.getCause() instanceof UnrecoverableKeyException) {
                throw new Unusable("does not open " + store.pathKey().key() + " '" + store.path() + "'", true, null);
            }
            throw new Unusable(
                    "cannot be read as a " + store.type() + " key store ("
                            + failed.getClass().getSimpleName()
                            + "); expected a " + KeyStoreFile.TYPES + " file, with its type set when the file name"
                            + " does not say it (.jks for JKS)",
                    false,
                    null);
        } catch (GeneralSecurityException failed) {
            throw new Unusable(
                    "cannot be read as a " + store.type() + " key store; expected a " + KeyStoreFile.TYPES + " file",
                    false,
                    null);
        }
        try {
            boolean found = false;
            for (String entry : Collections.list(keyStore.aliases())) {
                found |= store.pathKey() == ConnectionKey.KEY_STORE
                        ? keyStore.isKeyEntry(entry) && keyStore.getCertificate(entry) != null
                        : keyStore.getCertificate(entry) != null;
            }
            if (!found) {
                throw new Unusable(
                        store.pathKey() == ConnectionKey.KEY_STORE
                                ? "holds no private key with its certificate; expected this client's key and"
                                        + " certificate"
                                : "holds no certificate; expected the certificates of the CAs to trust",
                        false,
                        null);
            }
        } catch (java.security.KeyStoreException unreadable) {
            throw new Unusable("cannot be read: " + unreadable.getMessage(), false, null);
        }
        return keyStore;
    }
}
