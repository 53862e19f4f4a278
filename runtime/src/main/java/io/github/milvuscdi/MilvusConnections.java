package io.github.milvuscdi;

import io.github.milvuscdi.internal.client.ConnectionRegistry;
import io.github.milvuscdi.internal.client.SdkClientFactory;
import io.github.milvuscdi.internal.config.MilvusConfiguration;
import io.milvus.v2.client.MilvusClientV2;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import org.eclipse.microprofile.config.Config;

/**
 * The registry of Milvus connections, with pymilvus's {@code connections} operations.
 *
 * <p>In a container it is an application-scoped bean: {@code @Inject MilvusConnections connections;}.
 * Configured and injected aliases belong to the container: {@code connect("search")} returns the
 * very client that {@code @MilvusConnection("search")} injects, and they cannot be disconnected or
 * removed, because beans hold their clients. Aliases added at run time follow pymilvus's lifecycle:
 *
 * <pre>{@code
 * connections.addConnection("scratch", Map.of("uri", "http://localhost:19531"));
 * MilvusClientV2 scratch = connections.connect("scratch");
 * connections.disconnect("scratch");        // closes the client, keeps the settings
 * connections.removeConnection("scratch");  // forgets the alias
 * }</pre>
 *
 * <p>Without a container, {@link #create()} knows only alias {@code default} ({@code MILVUS_URI},
 * else {@code http://localhost:19530}) and what is added; {@link #fromConfig(Config)} also knows the
 * configured aliases. Close such a registry when done: {@code try (MilvusConnections c = MilvusConnections.create()) {…}}.
 *
 * <p>Implementations are thread-safe. Concurrent first use of one alias creates exactly one client.
 * Nothing returned or printed by a registry holds a password or token.
 */
public interface MilvusConnections extends AutoCloseable {

    /**
     * Creates a registry without a container, that knows alias {@code default} and what is added to it.
     *
     * @return a new registry; close it when done
     */
    static MilvusConnections create() {
        return fromConfig(null);
    }

    /**
     * Creates a registry without a container whose aliases also come from {@code milvus.connections.<alias>.*},
     * read once, now.
     *
     * @param config the configuration; {@code null} for none
     * @return a new registry; close it when done
     */
    static MilvusConnections fromConfig(Config config) {
        return new ConnectionRegistry(
                MilvusConfiguration.read(config, Set.of()), false, new SdkClientFactory((alias, builder) -> {}));
    }

    /**
     * Stores settings for an alias without connecting (pymilvus {@code add_connection}).
     *
     * @param alias the alias
     * @param keys keys as under {@code milvus.connections.<alias>.}, e.g. {@code Map.of("uri", "http://h:19530")}
     * @throws MilvusConfigurationException when a key is invalid; the message names it
     * @throws IllegalStateException when the alias is connected with other settings, or belongs to the container
     */
    void addConnection(String alias, Map<String, String> keys);

    /**
     * Returns the alias's client, connecting on first use (pymilvus {@code connect(alias)}).
     *
     * @param alias the alias
     * @return the one client of this alias
     * @throws MilvusConfigurationException when the alias has no configuration; the message names the keys to set
     * @throws MilvusConnectionException naming alias and address when the server cannot be reached
     *         within {@code connect-timeout}
     */
    MilvusClientV2 connect(String alias);

    /**
     * Connects an alias with the given settings (pymilvus {@code connect(alias, **kwargs)}).
     *
     * @param alias the alias
     * @param keys keys as under {@code milvus.connections.<alias>.}
     * @return the one client of this alias
     * @throws IllegalStateException when the alias is already connected with other settings
     * @throws MilvusConfigurationException when a key is invalid
     * @throws MilvusConnectionException when the server cannot be reached
     */
    MilvusClientV2 connect(String alias, Map<String, String> keys);

    /**
     * Closes the alias's client and keeps its settings; a no-op for an unknown alias.
     *
     * @param alias the alias
     * @throws IllegalStateException when the alias belongs to the container
     */
    void disconnect(String alias);

    /**
     * Closes the alias's client and forgets the alias; a no-op for an unknown alias.
     *
     * @param alias the alias
     * @throws IllegalStateException when the alias belongs to the container
     */
    void removeConnection(String alias);

    /**
     * Tells whether the alias has a connected client.
     *
     * @param alias the alias
     * @return {@code true} once connected, until disconnected
     */
    boolean hasConnection(String alias);

    /**
     * Lists the known aliases (pymilvus {@code list_connections}).
     *
     * @return alias to whether it is connected, sorted by alias
     */
    SortedMap<String, Boolean> listConnections();

    /**
     * Describes where an alias connects (pymilvus {@code get_connection_addr}): {@code address},
     * {@code secure}, and {@code user} and {@code db_name} when set; never a password or token.
     *
     * @param alias the alias
     * @return the description; empty for an unknown alias
     */
    Map<String, String> getConnectionAddr(String alias);

    /**
     * Closes every client this registry opened. For registries made without a container; the
     * container closes its own when the application stops.
     *
     * @throws IllegalStateException on the container's registry, whose clients beans hold
     */
    void close();
}
