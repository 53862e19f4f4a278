package io.github.milvuscdi.internal.container;

import io.github.milvuscdi.MilvusConnections;
import io.github.milvuscdi.internal.client.ConnectionRegistry;
import io.milvus.v2.client.MilvusClientV2;
import java.util.Map;
import java.util.SortedMap;

/**
 * The container's registry as applications get it: only the {@link MilvusConnections} interface.
 * The registry itself also has the container's operations ({@code closeAll}, {@code release}), which
 * an application reaching the instance behind its client proxy (a cast, {@code ClientProxy.unwrap})
 * must not find. Thread-safe as the registry is.
 */
final class ApplicationConnections implements MilvusConnections {

    private final ConnectionRegistry registry;

    ApplicationConnections(ConnectionRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void addConnection(String alias, Map<String, String> keys) {
        registry.addConnection(alias, keys);
    }

    @Override
    public MilvusClientV2 connect(String alias) {
        return registry.connect(alias);
    }

    @Override
    public MilvusClientV2 connect(String alias, Map<String, String> keys) {
        return registry.connect(alias, keys);
    }

    @Override
    public void disconnect(String alias) {
        registry.disconnect(alias);
    }

    @Override
    public void removeConnection(String alias) {
        registry.removeConnection(alias);
    }

    @Override
    public boolean hasConnection(String alias) {
        return registry.hasConnection(alias);
    }

    @Override
    public SortedMap<String, Boolean> listConnections() {
        return registry.listConnections();
    }

    @Override
    public Map<String, String> getConnectionAddr(String alias) {
        return registry.getConnectionAddr(alias);
    }

    /** @throws IllegalStateException always: the container closes its registry when the application stops */
    @Override
    public void close() {
        registry.close();
    }

    @Override
    public String toString() {
        return registry.toString();
    }
}
