package io.github.milvuscdi.internal.client;

import io.github.milvuscdi.MilvusConnectionException;
import io.github.milvuscdi.MilvusCredentialsProvider;
import io.github.milvuscdi.internal.config.ConnectionKey;
import io.github.milvuscdi.internal.config.ConnectionSettings;
import io.github.milvuscdi.internal.credentials.CredentialsChecks;
import io.github.milvuscdi.internal.credentials.RotatingCredentials;
import io.github.milvuscdi.internal.sdk.MilvusSdk;
import io.milvus.v2.client.MilvusClientV2;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * The credentials of a factory's clients whose alias takes them from a source that may change: each such client
 * sends them per call ({@link MilvusSdk#sendCredentialsPerCall}), read by a {@link RotatingCredentials} until the
 * client is closed.
 *
 * <p>Thread-safe.
 */
final class ClientCredentials {

    /** What a factory without a container has: no bean to name. */
    static final Function<String, MilvusCredentialsProvider> NO_BEANS = name -> {
        throw new IllegalStateException("no CDI container to find the bean '" + name + "' in");
    };

    private final Function<String, MilvusCredentialsProvider> providers;
    private final CredentialsChecks checks = new CredentialsChecks();
    private final Map<MilvusClientV2, RotatingCredentials> open = Collections.synchronizedMap(new IdentityHashMap<>());

    ClientCredentials(Function<String, MilvusCredentialsProvider> providers) {
        this.providers = providers;
    }

    /**
     * Makes a client not connected yet send its alias's credentials per call, when they come from a source that
     * may change; does nothing otherwise.
     *
     * @throws MilvusConnectionException naming the alias, the key and the path or bean, when the source cannot be
     *     read now
     */
    void install(ConnectionSettings settings, MilvusClientV2 client) {
        if (settings.credentialsSource() == null) {
            return;
        }
        RotatingCredentials credentials;
        try {
            credentials = RotatingCredentials.start(settings, name -> provider(settings, name), checks.executor());
        } catch (IllegalStateException unreadable) {
            throw new MilvusConnectionException(settings.alias(), unreadable.getMessage(), null);
        }
        open.put(client, credentials);
        MilvusSdk.sendCredentialsPerCall(client, credentials.interceptor());
    }

    /**
     * Makes a client not connected yet, whose channel {@code client} will adopt, send {@code client}'s credentials
     * per call; does nothing when {@code client}'s are fixed.
     */
    void sendLike(MilvusClientV2 client, MilvusClientV2 fresh) {
        RotatingCredentials credentials = open.get(client);
        if (credentials != null) {
            MilvusSdk.sendCredentialsPerCall(fresh, credentials.interceptor());
        }
    }

    /** Stops reading the credentials of a client that is closed or failed to connect. */
    void release(MilvusClientV2 client) {
        RotatingCredentials credentials = open.remove(client);
        if (credentials != null) {
            credentials.stop();
        }
    }

    /** Ends the thread that reads the sources. */
    void closedAll() {
        checks.shutdown();
    }

    private MilvusCredentialsProvider provider(ConnectionSettings settings, String name) {
        try {
            MilvusCredentialsProvider found = providers.apply(name);
            if (found != null) {
                return found;
            }
        } catch (RuntimeException notFound) {
            // said below
        }
        String shown = ConnectionKey.redacted(name);
        throw new IllegalStateException("Milvus alias '" + settings.alias() + "': "
                + ConnectionKey.CREDENTIALS_PROVIDER.fullKey(settings.alias()) + "='" + shown
                + "' names no application bean implementing " + MilvusCredentialsProvider.class.getName()
                + "; annotate such a bean with @Named(\"" + shown + "\"), or correct the name");
    }
}
