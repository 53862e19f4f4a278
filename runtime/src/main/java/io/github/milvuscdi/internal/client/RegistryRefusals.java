package io.github.milvuscdi.internal.client;

import io.github.milvuscdi.MilvusConfigurationException;
import io.github.milvuscdi.internal.config.AliasDiscovery;
import io.github.milvuscdi.internal.config.ConnectionKey;
import java.util.List;

/**
 * What a {@link ConnectionRegistry} says when it refuses a request: the alias, why, and what to do instead.
 *
 * <p>Stateless and thread-safe.
 */
final class RegistryRefusals {

    private RegistryRefusals() {}

    /**
     * @param alias an alias the container owns
     * @param what what was asked of it, e.g. {@code "disconnected"}
     * @return the refusal to change it, which beans hold
     */
    static IllegalStateException containerAlias(String alias, String what) {
        return new IllegalStateException("Milvus alias '" + alias + "' cannot be " + what + ": it belongs to the "
                + "container (configured under " + AliasDiscovery.PREFIX + alias + "."
                + "* or injected with @MilvusConnection(\"" + alias + "\")), and beans hold its client; "
                + "the container closes it when the application stops. Use another alias for connections "
                + "you manage yourself.");
    }

    /** @return the refusal of settings other than those the alias already connects with (pymilvus's words) */
    static IllegalStateException notTheSame(String alias) {
        return new IllegalStateException("Alias of '" + alias + "' already creating connections, but the configure "
                + "is not the same as passed in.");
    }

    /** @return the refusal to connect an alias that has no configuration, naming the keys that would give it one */
    static MilvusConfigurationException notConfigured(String alias) {
        return new MilvusConfigurationException(List.of("alias '" + alias + "': no connection is configured; set "
                + ConnectionKey.URI.fullKey(alias) + " (e.g. http://localhost:19530), or "
                + ConnectionKey.ADDRESS.fullKey(alias) + ", or " + ConnectionKey.HOST.fullKey(alias) + " and "
                + ConnectionKey.PORT.fullKey(alias) + ", or add it with MilvusConnections.addConnection"));
    }
}
