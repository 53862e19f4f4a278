package io.github.milvuscdi;

import io.milvus.v2.client.ConnectConfig;

/**
 * Fired, qualified {@code @MilvusConnection("<alias>")}, just before the container builds the
 * client of an alias: observe it to adjust the SDK's {@link ConnectConfig} beyond what the
 * configuration keys express.
 *
 * <pre>{@code
 * @ApplicationScoped
 * class MilvusTuning {
 *     void trustOurCa(@Observes @MilvusConnection("search") ConfiguringMilvusClient client) {
 *         client.builder().sslContext(ourSslContext());       // only alias "search"
 *     }
 *     void everyAlias(@Observes ConfiguringMilvusClient client) {
 *         client.builder().proxyAddress("proxy.internal:3128");  // every alias
 *     }
 * }
 * }</pre>
 *
 * <p>Observers run once per client, on the thread that creates it: the first user of the alias, or
 * the readiness check's background thread when it connects an alias nobody has used yet. They
 * must not block on the network. Not thread-safe; valid only during notification.
 */
public final class ConfiguringMilvusClient {

    private final String alias;
    private final ConnectConfig.ConnectConfigBuilder builder;

    /**
     * Creates the event.
     *
     * @param alias the alias whose client is being built
     * @param builder the SDK builder holding the alias's configuration
     */
    public ConfiguringMilvusClient(String alias, ConnectConfig.ConnectConfigBuilder builder) {
        this.alias = alias;
        this.builder = builder;
    }

    /** @return the alias whose client is about to be built */
    public String alias() {
        return alias;
    }

    /** @return the builder the client will be built from; changes take effect */
    public ConnectConfig.ConnectConfigBuilder builder() {
        return builder;
    }

    @Override
    public String toString() {
        return "ConfiguringMilvusClient{alias=" + alias + "}";
    }
}
