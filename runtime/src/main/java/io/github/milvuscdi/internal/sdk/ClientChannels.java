package io.github.milvuscdi.internal.sdk;

import io.milvus.shaded.io.grpc.ManagedChannel;
import io.milvus.v2.client.ConnectConfig;
import io.milvus.v2.client.MilvusClientV2;
import io.milvus.v2.utils.ClientUtils;
import java.lang.reflect.Field;

/**
 * Builds the channels of one of this library's clients as the SDK does, and hands each to the client the
 * moment it is built ({@link SharedClient#built}), before the SDK keeps it in its own field: a close that
 * came while the SDK was still building the channel (a connect past its bound, the application stopping)
 * then ends that channel too, and the SDK's {@code Connect} on it fails at once instead of waiting for
 * {@code connect-timeout}, or for ever in the database check.
 *
 * <p>The SDK keeps its {@code ClientUtils}, which builds every channel of a client (first connect, and
 * the reconnect of {@code useDatabase}), in a final field; a final instance field of an ordinary class
 * can be written through reflection before anyone reads it, which is done once, right after the client
 * is built ({@link #install}); {@link PerCallCredentials} replaces it the same way.
 *
 * <p>Thread-safe: the SDK builds a client's channels on the thread that connects it.
 */
class ClientChannels extends ClientUtils {

    private static final Field CLIENT_UTILS = clientUtilsField();

    private final SharedClient client;

    /** @param client told of each channel; {@code null}: nobody (a client not built by this library) */
    ClientChannels(SharedClient client) {
        this.client = client;
    }

    /** @return why channels cannot be handed to their client with the SDK on the class path; {@code null} when they can */
    static String missing() {
        return CLIENT_UTILS == null ? "the field MilvusClientV2.clientUtils of type ClientUtils" : null;
    }

    /**
     * Makes the client's channels go through {@link SharedClient#built}; does nothing when the SDK lacks the
     * field or refuses the write (the client then connects as the SDK's own does).
     */
    static void install(SharedClient client) {
        if (CLIENT_UTILS != null) {
            try {
                replace(client, new ClientChannels(client));
            } catch (IllegalStateException refused) {
                // MilvusSdk.missing() names the field when it is absent; a refusal leaves the SDK's ClientUtils
            }
        }
    }

    /**
     * Puts {@code channels} in place of the client's {@code ClientUtils}.
     *
     * @throws IllegalStateException when the SDK refuses it
     */
    static void replace(MilvusClientV2 client, ClientChannels channels) {
        if (CLIENT_UTILS == null) {
            throw new IllegalStateException("the SDK lacks " + missing());
        }
        try {
            CLIENT_UTILS.set(client, channels);
        } catch (IllegalAccessException | RuntimeException refused) {
            throw new IllegalStateException("cannot build this client's channels with this SDK: " + refused, refused);
        }
    }

    @Override
    public ManagedChannel getChannel(ConnectConfig config) {
        ManagedChannel channel = super.getChannel(config);
        if (client != null) {
            client.built(channel);
        }
        return channel;
    }

    private static Field clientUtilsField() {
        try {
            Field field = MilvusClientV2.class.getDeclaredField("clientUtils");
            if (field.getType() != ClientUtils.class) {
                return null;
            }
            field.setAccessible(true);
            return field;
        } catch (NoSuchFieldException | RuntimeException unavailable) {
            return null;
        }
    }
}
