package io.github.milvuscdi.internal.client;

import io.github.milvuscdi.internal.config.ConnectionKey;
import io.github.milvuscdi.internal.config.ConnectionSettings;
import io.milvus.shaded.io.grpc.Status;
import io.milvus.shaded.io.grpc.StatusRuntimeException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.util.Locale;

/**
 * Says in the user's terms why a connection could not be opened: an untrusted certificate, a
 * certificate for another name, a missing client certificate, TLS on one side only, rejected
 * credentials. Each explanation names the keys that fix it.
 *
 * <p>It reads what a failure says; asking the server again, when the failure says too little, is
 * {@link TransportQuestions}'s job, and reading the bytes a port answered instead of gRPC is
 * {@link ProtocolMismatch}'s.
 *
 * <p>Never quotes a password or token: the SDK's and gRPC's failures do not carry the call's headers.
 * Stateless and thread-safe.
 */
final class ConnectFailureExplainer {

    private ConnectFailureExplainer() {}

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
     * @param known what was found out otherwise (such as by {@link TransportQuestions#tlsExpected}); {@code null} if nothing
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
        Explanation protocol = ProtocolMismatch.explain(settings, status);
        protocol = protocol != null ? protocol : NotMilvusService.explanation(settings, status);
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
                return !settings.mutualTls()
                        ? ClientCertificateCheck.explanation(settings)
                        : new Explanation(
                                ConnectFailure.Kind.TLS,
                                "the server did not accept the client certificate: mutual TLS needs "
                                        + ConnectionKey.CLIENT_PEM_PATH.fullKey(alias) + ", "
                                        + ConnectionKey.CLIENT_KEY_PATH.fullKey(alias) + " and "
                                        + ConnectionKey.CA_PEM_PATH.fullKey(alias)
                                        + ", with a certificate the server trusts");
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

    static Explanation unknownHost(ConnectionSettings settings) {
        String alias = settings.alias();
        return new Explanation(
                ConnectFailure.Kind.UNKNOWN_HOST,
                "the host name '" + settings.host() + "' does not resolve: check the host in "
                        + ConnectionKey.URI.fullKey(alias) + " (or " + ConnectionKey.ADDRESS.fullKey(alias) + ", "
                        + ConnectionKey.HOST.fullKey(alias) + ")");
    }

    /** Netty quotes what it could not read in hex ({@code not an SSL/TLS record: 0000180400…}): not for users. */
    private static final java.util.regex.Pattern RAW_BYTES = java.util.regex.Pattern.compile(":\\s*[0-9a-fA-F]{16,}");

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
        int dump = line.indexOf(". " + ProtocolMismatch.HEX_DUMP);
        return dump < 0
                ? line
                : line.substring(0, dump)
                        + line.substring(line.lastIndexOf(')') < dump ? line.length() : line.lastIndexOf(')'));
    }

    static StatusRuntimeException status(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof StatusRuntimeException) {
                return (StatusRuntimeException) cause;
            }
        }
        return null;
    }
}
