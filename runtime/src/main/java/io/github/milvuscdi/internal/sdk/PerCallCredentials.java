package io.github.milvuscdi.internal.sdk;

import io.milvus.shaded.io.grpc.ClientInterceptor;
import io.milvus.shaded.io.grpc.ManagedChannel;
import io.milvus.v2.client.ConnectConfig;
import io.milvus.v2.client.MilvusClientV2;

/**
 * Credentials sent per call rather than as the header the SDK fixes when it builds a channel (2.6.22:
 * {@code ClientUtils.getChannel} attaches {@code authorization} from {@code ConnectConfig.getAuthorization()}
 * once). The client's {@code ClientUtils}, which builds every channel of the client (first connect, and the
 * reconnect of {@code useDatabase}), is replaced by one that puts an interceptor in front of the channel it
 * built: every call on it, the SDK's {@code Connect} included, then carries what the interceptor says now.
 *
 * <p>The SDK keeps its {@code ClientUtils} in a final field, replaced as {@link ClientChannels} says, once, right
 * after the client is built; each channel is still handed to its client as it is built.
 */
final class PerCallCredentials extends ClientChannels {

    private final ClientInterceptor credentials;

    private PerCallCredentials(MilvusClientV2 client, ClientInterceptor credentials) {
        super(client instanceof SharedClient shared ? shared : null);
        this.credentials = credentials;
    }

    /** @return why this cannot be done with the SDK on the class path; {@code null} when it can */
    static String missing() {
        return ClientChannels.missing() == null ? null : ClientChannels.missing() + " (rotating credentials)";
    }

    /**
     * Makes every channel the client builds from now on send what {@code credentials} puts in each call.
     *
     * @param client a client not connected yet, whose configuration carries no token, user or password
     * @param credentials the interceptor that adds {@code authorization}
     */
    static void install(MilvusClientV2 client, ClientInterceptor credentials) {
        try {
            replace(client, new PerCallCredentials(client, credentials));
        } catch (IllegalStateException refused) {
            throw new IllegalStateException(
                    "cannot send credentials per call with this SDK: " + refused.getMessage(), refused);
        }
    }

    @Override
    public ManagedChannel getChannel(ConnectConfig config) {
        return new InterceptedChannel(super.getChannel(config), credentials);
    }
}
