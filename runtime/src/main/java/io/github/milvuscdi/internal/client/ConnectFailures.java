package io.github.milvuscdi.internal.client;

import io.github.milvuscdi.internal.config.ConnectionKey;
import io.github.milvuscdi.internal.config.ConnectionSettings;
import io.github.milvuscdi.internal.sdk.MilvusSdk;
import io.milvus.grpc.GetVersionRequest;
import io.milvus.grpc.MilvusServiceGrpc;
import io.milvus.shaded.io.grpc.ManagedChannel;
import io.milvus.shaded.io.grpc.Status;
import io.milvus.shaded.io.grpc.StatusRuntimeException;
import io.milvus.v2.client.ConnectConfig;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Says in the user's terms why a connection could not be opened: an untrusted certificate, a
 * certificate for another name, a missing client certificate, TLS on one side only, rejected
 * credentials. Each explanation names the keys that fix it.
 *
 * <p>The SDK connects with a wait-for-ready call, so a failing TLS handshake is retried until
 * {@code connect-timeout} and reported as a bare {@code DEADLINE_EXCEEDED}; the handshake's own
 * error is lost. {@link #transportFailure} asks again, with a call that does not wait for ready.
 *
 * <p>Never quotes a password or token: the SDK's and gRPC's failures do not carry the call's headers.
 * Stateless and thread-safe.
 */
final class ConnectFailures {

    private static final long TRANSPORT_QUESTION_MILLIS = 1000;

    private ConnectFailures() {}

    /**
     * When the SDK only says that connecting took too long, connects once more on a channel the
     * SDK builds from the same configuration, with a call that does not wait for ready, and
     * returns what that says; the SDK closed its own channel already.
     *
     * <p>Takes at most a second (a server that accepts connections
     * and never answers costs that much more).
     *
     * @param config the configuration the SDK failed to connect with
     * @param failure what the SDK threw
     * @return the transport's failure, with its cause (such as an {@code SSLHandshakeException});
     *         {@code null} when the SDK's failure is not a deadline or the second attempt has nothing to add
     */
    static StatusRuntimeException transportFailure(ConnectConfig config, Throwable failure) {
        StatusRuntimeException status = status(failure);
        if (status == null || status.getStatus().getCode() != Status.Code.DEADLINE_EXCEEDED) {
            return null;
        }
        ManagedChannel channel;
        try {
            channel = MilvusSdk.newChannel(config);
        } catch (RuntimeException | AssertionError unusable) {
            return null;
        }
        try {
            MilvusServiceGrpc.newBlockingStub(channel)
                    .withDeadlineAfter(TRANSPORT_QUESTION_MILLIS, TimeUnit.MILLISECONDS)
                    .getVersion(GetVersionRequest.getDefaultInstance());
            return null; // it answers now: nothing better to say than the deadline
        } catch (StatusRuntimeException transport) {
            return transport.getStatus().getCode() == Status.Code.DEADLINE_EXCEEDED ? null : transport;
        } catch (RuntimeException unexpected) {
            return null;
        } finally {
            channel.shutdownNow();
        }
    }

    /**
     * Whether a transport's failure is one that waiting cannot cure, so that connecting may end at
     * once: TLS on one side only or not trusted, a port that does not speak gRPC, a host that does not
     * resolve. A refusing, silent or restarting server is not: that one may be back within the bound.
     *
     * @param settings the alias's settings
     * @param transport what a call that did not wait for ready met on the channel
     * @return {@code true} when the same attempt would fail the same way
     */
    static boolean permanent(ConnectionSettings settings, StatusRuntimeException transport) {
        Explanation explanation = explanation(settings, transport);
        return explanation != null && explanation.kind().permanent() && !closedWithoutAWord(transport);
    }

    /**
     * What keeps a connected client's channel from connecting again, when waiting cannot cure it: asked
     * with a call that does not wait for ready (it fails at once with the last attempt's error), within
     * {@value #CAUSE_QUESTION_MILLIS} ms.
     *
     * @return the explanation, such as {@code the port speaks HTTP/1, not gRPC …}; {@code null} when the
     *         failure is temporary, or the channel has nothing to say
     */
    static String permanentCause(ConnectionSettings settings, io.milvus.v2.client.MilvusClientV2 client) {
        try {
            ManagedChannel channel = MilvusSdk.channel(client);
            if (channel == null
                    || channel.getState(false) != io.milvus.shaded.io.grpc.ConnectivityState.TRANSIENT_FAILURE) {
                return null;
            }
            MilvusServiceGrpc.newBlockingStub(channel)
                    .withDeadlineAfter(CAUSE_QUESTION_MILLIS, TimeUnit.MILLISECONDS)
                    .getVersion(GetVersionRequest.getDefaultInstance());
            return null;
        } catch (StatusRuntimeException failed) {
            if (permanent(settings, failed)) {
                return explain(settings, failed).text();
            }
            Explanation tls = closedWithoutAWord(failed) ? tlsExpected(settings, (int) CAUSE_QUESTION_MILLIS) : null;
            return tls == null ? null : explain(settings, failed, tls).text();
        } catch (RuntimeException unexpected) {
            return null;
        }
    }

    private static final long CAUSE_QUESTION_MILLIS = 200;

    /** Why a connection failed: the kind, and the words users read. */
    record Explanation(ConnectFailure.Kind kind, String text) {}

    /**
     * Explains a failure to connect, followed by the technical reason in parentheses.
     *
     * @param settings the alias's settings
     * @param failure the most telling failure: the transport's when there is one
     * @return such as {@code the server's certificate was not trusted: set … (PKIX path building failed: …)}
     */
    static Explanation explain(ConnectionSettings settings, Throwable failure) {
        return explain(settings, failure, null);
    }

    /**
     * Explains a failure already understood, or else as {@link #explain(ConnectionSettings, Throwable)} does.
     *
     * @param known what was found out otherwise (such as by {@link #tlsExpected}); {@code null} if nothing
     */
    static Explanation explain(ConnectionSettings settings, Throwable failure, Explanation known) {
        String reason = reason(failure);
        Explanation explanation = known != null ? known : explanation(settings, failure);
        if (explanation == null) {
            StatusRuntimeException status = status(failure);
            ConnectFailure.Kind kind = status != null && status.getStatus().getCode() == Status.Code.UNAVAILABLE
                    ? ConnectFailure.Kind.UNREACHABLE
                    : ConnectFailure.Kind.OTHER;
            return new Explanation(kind, reason);
        }
        return new Explanation(explanation.kind(), explanation.text() + " (" + reason + ")");
    }

    private static Explanation explanation(ConnectionSettings settings, Throwable failure) {
        String alias = settings.alias();
        StatusRuntimeException status = status(failure);
        if (status != null && status.getStatus().getCode() == Status.Code.UNAUTHENTICATED) {
            return new Explanation(
                    ConnectFailure.Kind.CREDENTIALS,
                    settings.credentialsSource() != null
                            ? "the server rejected the credentials read from "
                                    + settings.credentialsSource().describe(alias) + ": check what it holds"
                            : settings.hasCredentials()
                                    ? "the server rejected the credentials: check " + ConnectionKey.USER.fullKey(alias)
                                            + " and " + ConnectionKey.PASSWORD.fullKey(alias) + ", or "
                                            + ConnectionKey.TOKEN.fullKey(alias)
                                    : "the server requires credentials: set " + ConnectionKey.TOKEN.fullKey(alias)
                                            + ", or "
                                            + ConnectionKey.USER.fullKey(alias) + " and "
                                            + ConnectionKey.PASSWORD.fullKey(alias));
        }
        Explanation protocol = protocolMismatch(settings, status);
        if (protocol != null) {
            return protocol;
        }
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof java.net.UnknownHostException) {
                return unknownHost(settings);
            }
            String message = String.valueOf(cause.getMessage());
            String lower = message.toLowerCase(Locale.ROOT);
            if (cause instanceof CertificateException
                    && (message.startsWith("No subject alternative") || message.startsWith("No name matching"))) {
                return new Explanation(
                        ConnectFailure.Kind.TLS,
                        "the server's certificate does not carry the name '"
                                + (settings.serverName() != null ? settings.serverName() : settings.host()) + "': set "
                                + ConnectionKey.SERVER_NAME.fullKey(alias)
                                + " to a name the certificate carries");
            }
            if (cause instanceof CertPathBuilderException
                    || cause instanceof CertPathValidatorException
                    || lower.contains("pkix path")) {
                return new Explanation(
                        ConnectFailure.Kind.TLS,
                        "the server's certificate was not trusted: set " + ConnectionKey.SERVER_PEM_PATH.fullKey(alias)
                                + " to the server's certificate, or " + ConnectionKey.CA_PEM_PATH.fullKey(alias)
                                + " to the CA that signed it");
            }
            if (lower.contains("certificate_required")
                    || lower.contains("bad_certificate")
                    || lower.contains("certificate_unknown")
                    || lower.contains("unknown_ca")) {
                return new Explanation(
                        ConnectFailure.Kind.TLS,
                        "the server did not accept the client certificate: mutual TLS needs "
                                + ConnectionKey.CLIENT_PEM_PATH.fullKey(alias) + ", "
                                + ConnectionKey.CLIENT_KEY_PATH.fullKey(alias) + " and "
                                + ConnectionKey.CA_PEM_PATH.fullKey(alias) + ", with a certificate the server trusts");
            }
            if (cause.getClass().getSimpleName().equals("NotSslRecordException") || lower.contains("not an ssl/tls")) {
                return new Explanation(
                        ConnectFailure.Kind.TLS,
                        "the server does not speak TLS: connect without it (an http:// uri, no "
                                + ConnectionKey.SECURE.fullKey(alias) + "=true and no -pem-path keys)");
            }
        }
        if (status != null
                && status.getStatus().getCode() == Status.Code.UNAVAILABLE
                && String.valueOf(status.getStatus().getDescription()).startsWith("Unable to resolve host")) {
            return unknownHost(settings);
        }
        if (closedWithoutAWord(status)) {
            // The server hung up without a word: what each side's TLS setting suggests.
            if (!settings.secure()) {
                return new Explanation(
                        ConnectFailure.Kind.TLS,
                        "the server closed the connection without answering; a server that expects TLS does that:"
                                + " if it does, use an https:// uri or set " + ConnectionKey.SECURE.fullKey(alias)
                                + "=true");
            }
            if (!settings.mutualTls()) {
                return new Explanation(
                        ConnectFailure.Kind.TLS,
                        "the server closed the connection after the TLS handshake; a server that requires a client"
                                + " certificate does that: if it does, set "
                                + ConnectionKey.CLIENT_PEM_PATH.fullKey(alias)
                                + ", " + ConnectionKey.CLIENT_KEY_PATH.fullKey(alias) + " and "
                                + ConnectionKey.CA_PEM_PATH.fullKey(alias));
            }
            return new Explanation(
                    ConnectFailure.Kind.TLS,
                    "the server closed the connection after the TLS handshake: it may not accept the client"
                            + " certificate of " + ConnectionKey.CLIENT_PEM_PATH.fullKey(alias));
        }
        if (status != null && status.getStatus().getCode() == Status.Code.DEADLINE_EXCEEDED) {
            return new Explanation(
                    ConnectFailure.Kind.NO_ANSWER,
                    "no answer within the connect-timeout: is the server up and serving gRPC at this address"
                            + (settings.secure() ? " over TLS" : "") + "? A slow network needs a longer "
                            + ConnectionKey.CONNECT_TIMEOUT.fullKey(alias));
        }
        return null;
    }

    /**
     * A server that hung up without a word: a plain client on a TLS port, or a TLS client without the
     * certificate a server requires, but also a server going down. Not permanent on its own.
     */
    static boolean closedWithoutAWord(StatusRuntimeException status) {
        return status != null
                && status.getStatus().getCode() == Status.Code.UNAVAILABLE
                && String.valueOf(status.getStatus().getDescription()).startsWith("Network closed");
    }

    /**
     * For a plain-text client whose server hung up without a word: whether that server speaks TLS,
     * asked with a TLS handshake of our own that trusts any certificate and sends nothing else.
     * Bounded by {@code millis} for connecting and again for the handshake.
     *
     * @return the explanation when the server answered the handshake; {@code null} when it did not
     *         (down, restarting, or another protocol), or the client uses TLS
     */
    static Explanation tlsExpected(ConnectionSettings settings, int millis) {
        if (settings.secure()) {
            return null;
        }
        try (java.net.Socket plain = new java.net.Socket()) {
            plain.connect(new java.net.InetSocketAddress(settings.host(), settings.port()), millis);
            plain.setSoTimeout(millis);
            javax.net.ssl.SSLContext context = javax.net.ssl.SSLContext.getInstance("TLS");
            context.init(null, new javax.net.ssl.TrustManager[] {new AnyCertificate()}, null);
            try (javax.net.ssl.SSLSocket tls = (javax.net.ssl.SSLSocket)
                    context.getSocketFactory().createSocket(plain, settings.host(), settings.port(), false)) {
                tls.startHandshake();
            }
        } catch (javax.net.ssl.SSLException failed) {
            // A TLS alert from the server (a client certificate it wants, say) is TLS too.
            if (!String.valueOf(failed.getMessage()).contains("Received fatal alert")) {
                return null;
            }
        } catch (java.io.IOException | java.security.GeneralSecurityException | RuntimeException failed) {
            return null;
        }
        String alias = settings.alias();
        return new Explanation(
                ConnectFailure.Kind.TLS,
                "the server expects TLS and the client does not use it: use an https:// uri or set "
                        + ConnectionKey.SECURE.fullKey(alias) + "=true");
    }

    /** Accepts any certificate: {@link #tlsExpected} only asks whether the server speaks TLS at all. */
    private static final class AnyCertificate implements javax.net.ssl.X509TrustManager {
        @Override
        public void checkClientTrusted(java.security.cert.X509Certificate[] chain, String authType) {}

        @Override
        public void checkServerTrusted(java.security.cert.X509Certificate[] chain, String authType) {}

        @Override
        public java.security.cert.X509Certificate[] getAcceptedIssuers() {
            return new java.security.cert.X509Certificate[0];
        }
    }

    static Explanation unknownHost(ConnectionSettings settings) {
        String alias = settings.alias();
        return new Explanation(
                ConnectFailure.Kind.UNKNOWN_HOST,
                "the host name '" + settings.host() + "' does not resolve: check the host in "
                        + ConnectionKey.URI.fullKey(alias) + " (or " + ConnectionKey.ADDRESS.fullKey(alias) + ", "
                        + ConnectionKey.HOST.fullKey(alias) + ")");
    }

    /**
     * What the port answered instead of HTTP/2: gRPC (Netty) quotes its first five bytes when they are
     * not the HTTP/2 settings frame every gRPC server sends first.
     */
    private static Explanation protocolMismatch(ConnectionSettings settings, StatusRuntimeException status) {
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
            return new Explanation(
                    ConnectFailure.Kind.TLS,
                    "the server expects TLS and the client does not use it: use an https:// uri or set "
                            + ConnectionKey.SECURE.fullKey(alias) + "=true");
        }
        String text = new String(first, java.nio.charset.StandardCharsets.ISO_8859_1);
        boolean printable = !text.isEmpty() && text.chars().allMatch(c -> c >= 0x20 && c < 0x7f);
        boolean http1 = text.startsWith("HTTP/") || text.startsWith("<");
        return new Explanation(
                ConnectFailure.Kind.NOT_MILVUS,
                (http1
                                ? "the port speaks HTTP/1, not gRPC (it answered '" + text + "')"
                                : "the port does not speak gRPC (it answered "
                                        + (printable ? "'" + text + "'" : "bytes that are not HTTP/2") + ")")
                        + ": Milvus serves gRPC on port 19530 unless configured otherwise (9091 is its HTTP port"
                        + " for metrics and health); " + port);
    }

    private static final String HEX_DUMP = "Hex dump for first 5 bytes:";
    /** Netty quotes what it could not read in hex ({@code not an SSL/TLS record: 0000180400…}): not for users. */
    private static final java.util.regex.Pattern RAW_BYTES = java.util.regex.Pattern.compile(":\\s*[0-9a-fA-F]{16,}");

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

    /**
     * The gRPC status and the root cause, first lines only, as in
     * {@code UNAVAILABLE: io exception (Connection refused)}.
     */
    private static String reason(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String rootMessage =
                firstLine(root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage());
        String message = failure.getMessage() == null ? null : firstLine(failure.getMessage());
        return failure == root || message == null || message.equals(rootMessage)
                ? rootMessage
                : message + " (" + rootMessage + ")";
    }

    /** gRPC appends the Netty pipeline on further lines; a deadline, the buffered calls in brackets. */
    private static String firstLine(String message) {
        int newline = message.indexOf('\n');
        String line = (newline < 0 ? message : message.substring(0, newline)).strip();
        int details = line.indexOf(". Name resolution delay");
        line = details < 0 ? line : line.substring(0, details);
        line = RAW_BYTES.matcher(line).replaceAll("");
        int dump = line.indexOf(". " + HEX_DUMP);
        return dump < 0
                ? line
                : line.substring(0, dump)
                        + line.substring(line.lastIndexOf(')') < dump ? line.length() : line.lastIndexOf(')'));
    }

    private static StatusRuntimeException status(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof StatusRuntimeException) {
                return (StatusRuntimeException) cause;
            }
        }
        return null;
    }
}
