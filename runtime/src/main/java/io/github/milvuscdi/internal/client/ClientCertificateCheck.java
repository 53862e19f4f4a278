package io.github.milvuscdi.internal.client;

import io.github.milvuscdi.internal.config.ConnectionKey;
import io.github.milvuscdi.internal.config.ConnectionSettings;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.Locale;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * Tells why a server hung up on a TLS client that has no client certificate: a server that requires
 * one (mutual TLS) completes the handshake and then closes the connection, with an alert or without a
 * word, as gRPC reports it ({@code Network closed for unknown reason}). A server going down looks the
 * same to gRPC, so that alone cannot end a connect early.
 *
 * <p>The check makes a TLS handshake of its own, offering no certificate and trusting any server
 * certificate (it asks only what the server demands, and sends nothing after the handshake), then
 * waits briefly for the server's next move: a server that requires a client certificate refuses or
 * closes at once; any other server waits for the client to speak. Stateless and thread-safe.
 */
final class ClientCertificateCheck {

    private ClientCertificateCheck() {}

    /**
     * Why a server hung up without a word: for a plain-text client whether the server expects TLS
     * ({@link ConnectFailureExplainer#tlsExpected}), for a TLS client without a client certificate whether the
     * server requires one. Blocks up to about three times {@code millis}.
     *
     * @return the explanation; {@code null} when the server did not show either (down, restarting), or
     *     the client has a client certificate
     */
    static ConnectFailureExplainer.Explanation whyClosed(ConnectionSettings settings, int millis) {
        return settings.secure() ? required(settings, millis) : TransportQuestions.tlsExpected(settings, millis);
    }

    /**
     * The explanation of a server that requires a client certificate the client does not have.
     *
     * @return {@code the server requires a client certificate (mutual TLS): set …}, naming the three keys
     */
    static ConnectFailureExplainer.Explanation explanation(ConnectionSettings settings) {
        String alias = settings.alias();
        return new ConnectFailureExplainer.Explanation(
                ConnectFailure.Kind.TLS,
                "the server requires a client certificate (mutual TLS): set "
                        + ConnectionKey.CLIENT_PEM_PATH.fullKey(alias) + " and "
                        + ConnectionKey.CLIENT_KEY_PATH.fullKey(alias) + " to the client's certificate and key, and "
                        + ConnectionKey.CA_PEM_PATH.fullKey(alias) + " to the CA that signed the server's");
    }

    /**
     * Whether the server requires a client certificate, for a TLS client that has none.
     *
     * @return the explanation when it does; {@code null} when it does not, does not answer, or the
     *     client has a certificate
     */
    static ConnectFailureExplainer.Explanation required(ConnectionSettings settings, int millis) {
        if (!settings.secure() || settings.mutualTls()) {
            return null;
        }
        try (Socket plain = new Socket()) {
            plain.connect(new InetSocketAddress(settings.host(), settings.port()), millis);
            plain.setSoTimeout(millis);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {new AnyCertificate()}, null);
            try (SSLSocket tls = (SSLSocket) context.getSocketFactory()
                    .createSocket(
                            plain,
                            settings.serverName() != null ? settings.serverName() : settings.host(),
                            settings.port(),
                            false)) {
                SSLParameters parameters = tls.getSSLParameters();
                parameters.setApplicationProtocols(new String[] {"h2"});
                tls.setSSLParameters(parameters);
                tls.startHandshake();
                // TLS 1.3: the server checks the client's (empty) certificate after the handshake
                return tls.getInputStream().read() < 0 ? explanation(settings) : null;
            }
        } catch (SocketTimeoutException waiting) {
            return null; // the server waits for the client to speak: it accepted the handshake
        } catch (SSLException alert) {
            return certificateAlert(alert) ? explanation(settings) : null;
        } catch (IOException | GeneralSecurityException | RuntimeException failed) {
            return null;
        }
    }

    /** A TLS alert about the client's certificate: the one the server wanted and did not get. */
    static boolean certificateAlert(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            String message = String.valueOf(cause.getMessage()).toLowerCase(Locale.ROOT);
            if (message.contains("certificate_required") || message.contains("bad_certificate")) {
                return true;
            }
        }
        return false;
    }

    /** Accepts any certificate: the check only asks what the server demands of the client. */
    private static final class AnyCertificate implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
