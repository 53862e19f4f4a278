package io.github.milvuscdi.internal.client;

import io.milvus.v2.client.ConnectConfig;

/**
 * Adjusts the SDK's {@link ConnectConfig} builder of one alias just before its client is built,
 * for what configuration keys cannot express (an {@code SSLContext}, a proxy address).
 *
 * <p>Called once per client, on the thread that creates it; must not block on the network.
 */
@FunctionalInterface
public interface ConnectConfigCustomizer {

    /** A customizer that changes nothing. */
    ConnectConfigCustomizer NONE = (alias, builder) -> {};

    /**
     * Adjusts the builder.
     *
     * @param alias the alias whose client is about to be built
     * @param builder a fresh builder already holding the alias's settings
     */
    void customize(String alias, ConnectConfig.ConnectConfigBuilder builder);
}
