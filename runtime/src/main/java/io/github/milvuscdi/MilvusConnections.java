package io.github.milvuscdi;

import io.github.milvuscdi.client.ConnectConfigCustomizer;
import io.github.milvuscdi.client.ConnectionRegistry;
import io.github.milvuscdi.config.ConnectionSettingsReader;
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
 * <p>Without a container, {@code new MilvusConnections()} knows only alias {@code default}
 * ({@code MILVUS_URI}, else {@code http://localhost:19530}) and what is added;
 * {@link #fromConfig(Config)} also knows the configured aliases. Call {@link #close()} when done.
 *
 * <p>Thread-safe. Concurrent first use of one alias creates exactly one client. Nothing returned
 * or printed by the registry holds a password or token.
 */
public class MilvusConnections {

    private final ConnectionRegistry registry;
    private final boolean containerManaged;

    /** Creates a standalone registry that knows alias {@code default} and what is added to it. */
    public MilvusConnections() {
        this(standalone(null), false);
    }

    /**
     * Wraps a registry built by the container, which closes it. Applications use
     * {@link #fromConfig(Config)} or inject this class instead.
     *
     * @param registry the engine, not {@code null}
     */
    public MilvusConnections(ConnectionRegistry registry) {
        this(registry, true);
    }

    private MilvusConnections(ConnectionRegistry registry, boolean containerManaged) {
        this.registry = registry;
        this.containerManaged = containerManaged;
    }

    /**
     * Creates a standalone registry whose aliases also come from {@code milvus.connections.<alias>.*}.
     *
     * @param config the configuration; values are read when an alias is first used
     * @return a new registry
     */
    public static MilvusConnections fromConfig(Config config) {
        return new MilvusConnections(standalone(config), false);
    }

    private static ConnectionRegistry standalone(Config config) {
        ConnectionSettingsReader reader = new ConnectionSettingsReader();
        return new ConnectionRegistry(alias -> reader.configured(config, alias),
                keys -> alias -> reader.read(alias, keys), Set.of(), ConnectConfigCustomizer.NONE);
    }

    /**
     * Stores settings for an alias without connecting (pymilvus {@code add_connection}).
     *
     * @param alias the alias
     * @param keys keys as under {@code milvus.connections.<alias>.}, e.g. {@code Map.of("uri", "http://h:19530")}
     * @throws MilvusConfigurationException when a key is invalid; the message names it
     * @throws IllegalStateException when the alias is connected with other settings, or belongs to the container
     */
    public void addConnection(String alias, Map<String, String> keys) {
        registry.addConnection(alias, keys);
    }

    /**
     * Returns the alias's client, connecting on first use (pymilvus {@code connect(alias)}).
     *
     * @param alias the alias
     * @return the one client of this alias
     * @throws MilvusConfigurationException when the alias has no configuration; the message names the keys to set
     * @throws MilvusConnectionException naming alias and address when the server cannot be reached
     *         within {@code connect-timeout}
     */
    public MilvusClientV2 connect(String alias) {
        return registry.connect(alias);
    }

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
    public MilvusClientV2 connect(String alias, Map<String, String> keys) {
        return registry.connect(alias, keys);
    }

    /**
     * Closes the alias's client and keeps its settings; a no-op for an unknown alias.
     *
     * @param alias the alias
     * @throws IllegalStateException when the alias belongs to the container
     */
    public void disconnect(String alias) {
        registry.disconnect(alias);
    }

    /**
     * Closes the alias's client and forgets the alias; a no-op for an unknown alias.
     *
     * @param alias the alias
     * @throws IllegalStateException when the alias belongs to the container
     */
    public void removeConnection(String alias) {
        registry.removeConnection(alias);
    }

    /**
     * Tells whether the alias has a connected client.
     *
     * @param alias the alias
     * @return {@code true} once connected, until disconnected
     */
    public boolean hasConnection(String alias) {
        return registry.hasConnection(alias);
    }

    /**
     * Lists the known aliases (pymilvus {@code list_connections}).
     *
     * @return alias to whether it is connected, sorted by alias
     */
    public SortedMap<String, Boolean> listConnections() {
        return registry.listConnections();
    }

    /**
     * Describes where an alias connects (pymilvus {@code get_connection_addr}): {@code address},
     * {@code secure}, and {@code user} and {@code db_name} when set; never a password or token.
     *
     * @param alias the alias
     * @return the description; empty for an unknown alias
     */
    public Map<String, String> getConnectionAddr(String alias) {
        return registry.getConnectionAddr(alias);
    }

    /**
     * Closes every client this registry opened. For registries made without a container; the
     * container closes its own when the application stops.
     *
     * @throws IllegalStateException on the container's registry, whose clients beans hold
     */
    public void close() {
        if (containerManaged) {
            throw new IllegalStateException("The container's MilvusConnections is closed by the container when the "
                    + "application stops; beans hold its clients. Use disconnect or removeConnection for aliases "
                    + "added at run time.");
        }
        registry.closeAll();
    }

    @Override
    public String toString() {
        return "MilvusConnections" + registry.listConnections();
    }
}
