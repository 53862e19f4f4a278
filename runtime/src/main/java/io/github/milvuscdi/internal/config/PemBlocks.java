package io.github.milvuscdi.internal.config;

import java.util.Base64;

/**
 * Writes certificates and keys as PEM, the only form the SDK reads TLS material in: for the key-store keys and for
 * Quarkus's TLS registry alike.
 *
 * <p>Stateless and thread-safe.
 */
public final class PemBlocks {

    private PemBlocks() {}

    /**
     * Appends one PEM block.
     *
     * @param pem where to append
     * @param type the block's type, such as {@code CERTIFICATE} or {@code PRIVATE KEY}
     * @param der the encoded certificate or key
     */
    public static void append(StringBuilder pem, String type, byte[] der) {
        pem.append("-----BEGIN ")
                .append(type)
                .append("-----\n")
                .append(Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der))
                .append("\n-----END ")
                .append(type)
                .append("-----\n");
    }
}
