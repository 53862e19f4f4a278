package io.github.milvuscdi.internal.config;

/**
 * The key stores of an alias: what it trusts ({@code trust-store}) and how it proves itself in mutual TLS
 * ({@code key-store}), read when it connects and again when they change. No password in {@link #toString()}.
 *
 * @param trustStore the certificates trusted; {@code null} when not set
 * @param keyStore the client's key and certificate; {@code null} when not set
 */
public record CertificateStores(KeyStoreFile trustStore, KeyStoreFile keyStore) {

    /** No key store. */
    public static final CertificateStores NONE = new CertificateStores(null, null);

    /** @return whether either store is set */
    public boolean any() {
        return trustStore != null || keyStore != null;
    }
}
