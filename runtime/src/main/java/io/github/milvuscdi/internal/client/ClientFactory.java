package io.github.milvuscdi.internal.client;

import io.github.milvuscdi.MilvusConnectionException;
import io.github.milvuscdi.internal.config.ConnectionSettings;
import io.milvus.v2.client.MilvusClientV2;

/**
 * Opens and closes the clients of a {@link ConnectionRegistry}: the SDK's ({@link SdkClientFactory}),
 * or, in unit tests of the registry and the readiness probe, a fake.
 *
 * <p>Implementations are thread-safe.
 */
public interface ClientFactory {

    /**
     * Builds and connects a client; blocks at most about the alias's {@code connect-timeout}.
     *
     * @param settings the alias's settings
     * @return a connected client
     * @throws MilvusConnectionException naming alias and address when the server cannot be reached
     */
    MilvusClientV2 open(ConnectionSettings settings);

    /**
     * Closes a client with a bounded wait; never throws.
     *
     * @param settings the alias's settings
     * @param client a client this factory opened
     */
    void close(ConnectionSettings settings, MilvusClientV2 client);

    /** Called when a registry that opened clients has closed them all, when the application stops. */
    default void closedAll() {}
}
