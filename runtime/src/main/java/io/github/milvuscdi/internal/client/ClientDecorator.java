package io.github.milvuscdi.internal.client;

import io.github.milvuscdi.internal.config.ConnectionSettings;
import io.milvus.v2.client.MilvusClientV2;

/**
 * Adds to a client just after {@link SdkClientFactory} connected it, before anyone uses it: for
 * instance, tracing of its calls ({@code internal.telemetry}).
 *
 * <p>Implementations are thread-safe.
 */
@FunctionalInterface
public interface ClientDecorator {

    /** Adds nothing. */
    ClientDecorator NONE = (settings, client) -> {};

    /**
     * Decorates a freshly connected client.
     *
     * @param settings the alias's settings
     * @param client the connected client
     * @throws RuntimeException when it cannot; the factory logs it and hands out the client undecorated
     */
    void decorate(ConnectionSettings settings, MilvusClientV2 client);

    /**
     * Told that {@link SdkClientFactory} starts connecting an alias, on the thread that connects.
     *
     * @param settings the alias's settings
     * @return told how the connect ended; {@link Connecting#NONE} by default
     */
    default Connecting connecting(ConnectionSettings settings) {
        return Connecting.NONE;
    }

    /** One connect of one alias, told its outcome once. */
    @FunctionalInterface
    interface Connecting {

        /** Told nothing. */
        Connecting NONE = failure -> {};

        /**
         * The connect ended.
         *
         * @param failure why it failed; {@code null} when it connected
         */
        void ended(Throwable failure);
    }
}
