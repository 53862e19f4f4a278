package io.github.milvuscdi.internal.config;

import java.util.Locale;

/**
 * Reads an alias's {@code trust-store} and {@code key-store} keys and opens each store once, so that a wrong
 * path, type or password fails the deployment naming the key, the value (the path; never the password) and the
 * fix. Lives for one read; not thread-safe.
 */
final class CertificateStoresReader {

    private final AliasValues values;

    CertificateStoresReader(AliasValues values) {
        this.values = values;
    }

    CertificateStores read() {
        KeyStoreFile trust =
                store(ConnectionKey.TRUST_STORE, ConnectionKey.TRUST_STORE_PASSWORD, ConnectionKey.TRUST_STORE_TYPE);
        KeyStoreFile key =
                store(ConnectionKey.KEY_STORE, ConnectionKey.KEY_STORE_PASSWORD, ConnectionKey.KEY_STORE_TYPE);
        return trust == null && key == null ? CertificateStores.NONE : new CertificateStores(trust, key);
    }

    private KeyStoreFile store(ConnectionKey pathKey, ConnectionKey passwordKey, ConnectionKey typeKey) {
        String type = values.value(typeKey);
        String path = values.value(pathKey);
        if (path == null) {
            for (ConnectionKey alone : new ConnectionKey[] {passwordKey, typeKey}) {
                if (values.value(alone) != null) {
                    values.problem(
                            alone,
                            values.value(alone),
                            "is set without " + pathKey.key() + "; set " + pathKey.key()
                                    + " to the key store's path, or remove this key");
                }
            }
            return null;
        }
        if (type != null) {
            String upper = type.toUpperCase(Locale.ROOT);
            if (!upper.equals("PKCS12") && !upper.equals("JKS")) {
                values.problem(typeKey, type, "is not a key store type; expected " + KeyStoreFile.TYPES);
                return null;
            }
            type = upper;
        }
        String file = values.file(pathKey, "key store");
        if (file == null) {
            return null;
        }
        KeyStoreFile store = new KeyStoreFile(
                file, type != null ? type : KeyStoreFile.typeOf(file), values.value(passwordKey), pathKey);
        try {
            KeyStores.open(store);
        } catch (KeyStores.Unusable unusable) {
            if (unusable.passwordKey() && store.password() != null) {
                values.problem(
                        passwordKey,
                        store.password(),
                        "is wrong: it " + unusable.getMessage() + "; set the store's password");
            } else if (unusable.passwordKey()) {
                values.problem(
                        pathKey, file, "needs a password; set " + passwordKey.fullKey(values.alias()) + " to it");
            } else {
                values.problem(pathKey, file, unusable.getMessage());
            }
            return null;
        }
        return store;
    }
}
