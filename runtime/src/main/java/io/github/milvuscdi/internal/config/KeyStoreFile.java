package io.github.milvuscdi.internal.config;

import java.util.Locale;

/**
 * A PKCS12 or JKS key store an alias reads certificates (and a key) from: the {@code trust-store} or
 * {@code key-store} keys. {@link #toString()} never shows the password.
 *
 * @param path the file, as configured; never {@code null}
 * @param type {@code PKCS12} or {@code JKS}; never {@code null}
 * @param password its password, and its key's; {@code null} for none
 * @param pathKey the key that named the file, for messages
 */
public record KeyStoreFile(String path, String type, String password, ConnectionKey pathKey) {

    /** The key store types accepted. */
    public static final String TYPES = "PKCS12 or JKS";

    /**
     * The type a file name implies: {@code .jks} files are JKS, every other PKCS12 ({@code .p12}, {@code .pfx}).
     *
     * @param path the file's path
     * @return {@code JKS} or {@code PKCS12}
     */
    public static String typeOf(String path) {
        return path.toLowerCase(Locale.ROOT).endsWith(".jks") ? "JKS" : "PKCS12";
    }

    /** @return the password as the key store API takes it; an empty one for none */
    public char[] passwordChars() {
        return password == null ? new char[0] : password.toCharArray();
    }

    /** @return path, type and whether a password is set, never the password */
    @Override
    public String toString() {
        return "KeyStoreFile{" + pathKey.key() + "=" + path + ", type=" + type + ", password="
                + (password == null ? "none" : "set") + "}";
    }
}
