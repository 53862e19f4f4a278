package io.github.milvuscdi.internal.credentials;

import io.milvus.shaded.io.grpc.CallOptions;
import io.milvus.shaded.io.grpc.Channel;
import io.milvus.shaded.io.grpc.ClientCall;
import io.milvus.shaded.io.grpc.ClientInterceptor;
import io.milvus.shaded.io.grpc.ForwardingClientCall;
import io.milvus.shaded.io.grpc.ForwardingClientCallListener;
import io.milvus.shaded.io.grpc.Metadata;
import io.milvus.shaded.io.grpc.MethodDescriptor;
import io.milvus.shaded.io.grpc.Status;

/**
 * Puts the alias's current credentials into each call's {@code authorization} header, as the SDK would have
 * fixed them in the channel (base64 of the token or of {@code user:password}), and asks for them again at once
 * when the server answers that authentication failed.
 *
 * <p>Costs one volatile read per call, no I/O: reading the source is {@link RotatingCredentials}'s job, on its
 * own thread. Thread-safe.
 */
final class CredentialsInterceptor implements ClientInterceptor {

    static final Metadata.Key<String> AUTHORIZATION =
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

    private final RotatingCredentials credentials;

    CredentialsInterceptor(RotatingCredentials credentials) {
        this.credentials = credentials;
    }

    @Override
    public <RequestT, ResponseT> ClientCall<RequestT, ResponseT> interceptCall(
            MethodDescriptor<RequestT, ResponseT> method, CallOptions options, Channel next) {
        return new ForwardingClientCall.SimpleForwardingClientCall<>(next.newCall(method, options)) {
            @Override
            public void start(Listener<ResponseT> listener, Metadata headers) {
                headers.removeAll(AUTHORIZATION);
                headers.put(AUTHORIZATION, credentials.header());
                super.start(new RejectionListener<>(listener, credentials), headers);
            }
        };
    }

    /** Asks for the credentials again when the server refuses the ones sent. */
    private static final class RejectionListener<ResponseT>
            extends ForwardingClientCallListener.SimpleForwardingClientCallListener<ResponseT> {
        private final RotatingCredentials credentials;

        RejectionListener(ClientCall.Listener<ResponseT> listener, RotatingCredentials credentials) {
            super(listener);
            this.credentials = credentials;
        }

        @Override
        public void onClose(Status status, Metadata trailers) {
            if (status.getCode() == Status.Code.UNAUTHENTICATED || status.getCode() == Status.Code.PERMISSION_DENIED) {
                credentials.checkNow();
            }
            super.onClose(status, trailers);
        }
    }
}
