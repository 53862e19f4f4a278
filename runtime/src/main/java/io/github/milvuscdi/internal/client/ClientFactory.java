package io.github.milvuscdi.internal.client;

import io.github.milvuscdi.MilvusConnectionException;
import io.github.milvuscdi.internal.config.ConnectionSettings;
import io.milvus.v2.client.MilvusClientV2;
import java.util.List;
import java.util.Map;

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
     * Builds and connects a client as {@link #open(ConnectionSettings)} does, for an alias whose outages
     * its calls report through {@code outage}, shared with the readiness probe.
     *
     * @param settings the alias's settings
     * @param outage the alias's outage state, held by the registry's entry
     * @return a connected client
     * @throws MilvusConnectionException naming alias and address when the server cannot be reached
     */
    default MilvusClientV2 open(ConnectionSettings settings, Outage outage) {
        return open(settings);
    }

    /**
     * Closes a client with a bounded wait; never throws.
     *
     * @param settings the alias's settings
     * @param client a client this factory opened
     */
    void close(ConnectionSettings settings, MilvusClientV2 client);

    /**
     * Tells a client to close without waiting for it to end; {@link #closeTogether} waits for it later,
     * with the others. Never throws. By default, closes it with {@link #close}.
     *
     * @param settings the alias's settings
     * @param client a client this factory opened
     */
    default void closeSoon(ConnectionSettings settings, MilvusClientV2 client) {
        close(settings, client);
    }

    /**
     * Closes clients together: each is told to close at once, then all are waited for under one bound.
     * Never throws.
     *
     * @param clients each client with its alias's settings
     */
    default void closeTogether(List<Map.Entry<ConnectionSettings, MilvusClientV2>> clients) {
        clients.forEach(open -> close(open.getKey(), open.getValue()));
    }

    /**
     * Called when a registry that opened clients has closed them all: with or without a container.
     * Must return quickly, whatever other clients of the SDK are open.
     */
    default void closedAll() {}

    /**
     * Called once when the application stops, before its clients are closed: every open under way
     * is cancelled and waited for, within a bound, and no open succeeds afterwards.
     */
    default void stopOpening() {}

    /** Called once when the application has stopped and its clients are closed: the container's last step. */
    default void applicationStopped() {}

    /**
     * Reconnects an open client with its certificates as they are now (a TLS registry reloaded them), without
     * failing its calls; leaves it as it was when that fails. By default, does nothing.
     *
     * @param settings the alias's settings
     * @param client the open client
     */
    default void renew(ConnectionSettings settings, MilvusClientV2 client) {}
}
