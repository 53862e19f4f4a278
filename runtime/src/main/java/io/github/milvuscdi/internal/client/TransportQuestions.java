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
import java.util.concurrent.TimeUnit;

/**
 * Asks the server again when a failure says too little, each question short and bounded: the SDK
 * connects with a wait-for-ready call, so a failing TLS handshake is retried until
 * {@code connect-timeout} and reported as a bare {@code DEADLINE_EXCEEDED}, the handshake's own error
 * lost; a server that hangs up without a word may be one that expects TLS.
 *
 * <p>Contract: every question returns {@code null} when it learns nothing, never throws, and sends
 * no credentials beyond what the alias's own configuration sends. What the answers mean is
 * {@link ConnectFailureExplainer}'s. Stateless and thread-safe.
 */
final class TransportQuestions {

    private static final long TRANSPORT_QUESTION_MILLIS = 1000;
    private static final long CAUSE_QUESTION_MILLIS = 200;

    private TransportQuestions() {}

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
        StatusRuntimeException status = ConnectFailureExplainer.status(failure);
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
            if (ConnectFailureExplainer.permanent(settings, failed)) {
                return ConnectFailureExplainer.explain(settings, failed).text();
            }
            ConnectFailureExplainer.Explanation tls = ConnectFailureExplainer.closedWithoutAWord(failed)
                    ? ClientCertificateCheck.whyClosed(settings, (int) CAUSE_QUESTION_MILLIS)
                    : null;
            return tls == null
                    ? null
                    : ConnectFailureExplainer.explain(settings, failed, tls).text();
        } catch (RuntimeException unexpected) {
            return null;
        }
    }

    /**
     * For a plain-text client whose server hung up without a word: whether that server speaks TLS,
     * asked with a TLS handshake of our own that trusts any certificate and sends nothing else.
     * Bounded by {@code millis} for connecting and again for the handshake.
     *
     * @return the explanation when the server answered the handshake; {@code null} when it did not
     *         (down, restarting, or another protocol), or the client uses TLS
     */
    static ConnectFailureExplainer.Explanation tlsExpected(ConnectionSettings settings, int millis) {
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
        return new ConnectFailureExplainer.Explanation(
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
}
