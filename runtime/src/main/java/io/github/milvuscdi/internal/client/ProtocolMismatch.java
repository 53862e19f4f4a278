package io.github.milvuscdi.internal.client;

import io.github.milvuscdi.internal.config.ConnectionKey;
import io.github.milvuscdi.internal.config.ConnectionSettings;
import io.milvus.shaded.io.grpc.StatusRuntimeException;

/**
 * Explains a port that answered something other than gRPC: TLS to a plain client, HTTP/1 (Milvus's
 * metrics port), another protocol. gRPC (Netty) quotes the first five bytes it read when they are not
 * the HTTP/2 settings frame every gRPC server sends first; this reads them.
 *
 * <p>Contract: {@link #explain} returns {@code null} when the failure quotes no bytes; otherwise an
 * explanation of kind {@code TLS} or {@code NOT_MILVUS} that names the keys to check. Stateless and
 * thread-safe.
 */
final class ProtocolMismatch {

    /** How gRPC (Netty) introduces the bytes it could not read. */
    static final String HEX_DUMP = "Hex dump for first 5 bytes:";

    private ProtocolMismatch() {}

    /**
     * What the port answered instead of HTTP/2: gRPC (Netty) quotes its first five bytes when they are
     * not the HTTP/2 settings frame every gRPC server sends first.
     */
    static ConnectFailureExplainer.Explanation explain(ConnectionSettings settings, StatusRuntimeException status) {
        if (status == null) {
            return null;
        }
        String description = String.valueOf(status.getStatus().getDescription());
        for (Throwable cause = status.getCause(); cause != null && !description.contains(HEX_DUMP); ) {
            description = String.valueOf(cause.getMessage());
            cause = cause.getCause() == cause ? null : cause.getCause();
        }
        int at = description.indexOf(HEX_DUMP);
        if (at < 0) {
            return null;
        }
        byte[] first = hex(description.substring(at + HEX_DUMP.length()).strip());
        String alias = settings.alias();
        String port = "check the port in " + ConnectionKey.URI.fullKey(alias) + " (or "
                + ConnectionKey.ADDRESS.fullKey(alias) + ", " + ConnectionKey.PORT.fullKey(alias) + ")";
        if (first.length >= 2 && (first[0] == 0x15 || first[0] == 0x16) && first[1] == 0x03) {
            return new ConnectFailureExplainer.Explanation(
                    ConnectFailure.Kind.TLS,
                    "the server expects TLS and the client does not use it: use an https:// uri or set "
                            + ConnectionKey.SECURE.fullKey(alias) + "=true");
        }
        String text = new String(first, java.nio.charset.StandardCharsets.ISO_8859_1);
        boolean printable = !text.isEmpty() && text.chars().allMatch(c -> c >= 0x20 && c < 0x7f);
        boolean http1 = text.startsWith("HTTP/") || text.startsWith("<");
        return new ConnectFailureExplainer.Explanation(
                ConnectFailure.Kind.NOT_MILVUS,
                (http1
                                ? "the port speaks HTTP/1, not gRPC (it answered '" + text + "')"
                                : "the port does not speak gRPC (it answered "
                                        + (printable ? "'" + text + "'" : "bytes that are not HTTP/2") + ")")
                        + ": Milvus serves gRPC on port 19530 unless configured otherwise (9091 is its HTTP port"
                        + " for metrics and health); " + port);
    }

    private static byte[] hex(String digits) {
        int length = 0;
        while (length < digits.length() && Character.digit(digits.charAt(length), 16) >= 0) {
            length++;
        }
        byte[] bytes = new byte[length / 2];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) Integer.parseInt(digits.substring(2 * i, 2 * i + 2), 16);
        }
        return bytes;
    }
}
