package io.github.milvuscdi.client;

import io.github.milvuscdi.MilvusConfigurationException;
import io.github.milvuscdi.MilvusConnection;
import io.github.milvuscdi.MilvusConnectionException;
import io.github.milvuscdi.config.ConnectionKey;
import io.github.milvuscdi.config.ConnectionSettings;
import io.github.milvuscdi.config.ConnectionSettingsReader;
import io.milvus.v2.client.MilvusClientV2;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The engine behind {@link io.github.milvuscdi.MilvusConnections}: one entry per alias, holding
 * its settings and, once connected, its only client. Not an API for applications; the CDI
 * extension builds one per container.
 *
 * <p>Thread-safe. Concurrent first use of one alias builds exactly one client; the lock is per
 * alias, so a slow server delays only its own alias.
 */
public final class ConnectionRegistry {

    private static final long CLOSE_WAIT_SECONDS = 5;

    private final Function<String, Optional<ConnectionSettings>> configured;
    private final Function<Map<String, String>, Function<String, ConnectionSettings>> reader;
    private final Set<String> containerAliases;
    private final ConnectConfigCustomizer customizer;
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    private volatile boolean opened;

    /**
     * Creates a registry.
     *
     * @param configured the settings an alias has in configuration, read when the alias is first
     *        used; empty when the alias has none; may throw {@link MilvusConfigurationException}
     * @param reader validates keys passed at run time: given the keys, returns a function of the alias
     * @param containerAliases aliases owned by the container: they cannot be disconnected or removed
     * @param customizer called before each client is built
     */
    public ConnectionRegistry(Function<String, Optional<ConnectionSettings>> configured,
            Function<Map<String, String>, Function<String, ConnectionSettings>> reader,
            Set<String> containerAliases, ConnectConfigCustomizer customizer) {
        this.configured = configured;
        this.reader = reader;
        this.containerAliases = Set.copyOf(containerAliases);
        this.customizer = customizer;
    }

    /**
     * Stores settings for an alias without connecting (pymilvus {@code add_connection}).
     *
     * @throws MilvusConfigurationException when the keys are invalid
     * @throws IllegalStateException when the alias is connected with other settings, or belongs to the container
     */
    public void addConnection(String alias, Map<String, String> keys) {
        ConnectionSettings settings = reader.apply(keys).apply(alias);
        requireNotContainer(alias, "given settings at run time");
        Entry entry = entries.computeIfAbsent(alias, Entry::new);
        synchronized (entry) {
            if (entry.client != null && !settings.equals(entry.settings)) {
                throw notTheSame(alias);
            }
            entry.settings = settings;
        }
    }

    /**
     * Returns the alias's client, connecting on first use.
     *
     * @throws MilvusConfigurationException when the alias has no valid configuration
     * @throws MilvusConnectionException when the server cannot be reached within {@code connect-timeout}
     */
    public MilvusClientV2 connect(String alias) {
        Entry entry = entries.get(alias);
        if (entry == null) {
            ConnectionSettings settings = configured.apply(alias).orElseThrow(() -> notConfigured(alias));
            entry = entries.computeIfAbsent(alias, Entry::new);
            synchronized (entry) {
                if (entry.settings == null) {
                    entry.settings = settings;
                }
            }
        }
        return entry.client();
    }

    /**
     * Connects an alias with settings given at run time (pymilvus {@code connect(alias, **kwargs)}).
     *
     * @throws IllegalStateException when the alias is already connected with other settings
     */
    public MilvusClientV2 connect(String alias, Map<String, String> keys) {
        ConnectionSettings settings = reader.apply(keys).apply(alias);
        Entry entry = entries.computeIfAbsent(alias, Entry::new);
        synchronized (entry) {
            if (entry.client != null || entry.owned()) {
                ConnectionSettings current = entry.settings != null ? entry.settings
                        : configured.apply(alias).orElse(null);
                if (!settings.equals(current)) {
                    throw notTheSame(alias);
                }
                entry.settings = current;
            } else {
                entry.settings = settings;
            }
            return entry.client();
        }
    }

    /**
     * Closes the alias's client and keeps its settings; a no-op for an unknown alias.
     *
     * @throws IllegalStateException when the alias belongs to the container
     */
    public void disconnect(String alias) {
        requireNotContainer(alias, "disconnected");
        Entry entry = entries.get(alias);
        if (entry != null) {
            entry.close();
        }
    }

    /**
     * Closes the alias's client and forgets its settings; a no-op for an unknown alias.
     *
     * @throws IllegalStateException when the alias belongs to the container
     */
    public void removeConnection(String alias) {
        requireNotContainer(alias, "removed");
        Entry entry = entries.remove(alias);
        if (entry != null) {
            entry.close();
        }
    }

    /** @return whether the alias has a connected client */
    public boolean hasConnection(String alias) {
        Entry entry = entries.get(alias);
        return entry != null && entry.client != null;
    }

    /**
     * Lists every alias known: the container's, those added at run time and {@code default}.
     *
     * @return alias to whether it is connected, sorted by alias
     */
    public SortedMap<String, Boolean> listConnections() {
        SortedMap<String, Boolean> list = new TreeMap<>();
        list.put(MilvusConnection.DEFAULT_ALIAS, false);
        containerAliases.forEach(alias -> list.put(alias, false));
        entries.forEach((alias, entry) -> list.put(alias, entry.client != null));
        return list;
    }

    /**
     * Returns the aliases owned by the container: configured or injected, fixed when it was built.
     *
     * @return an immutable set; empty for a registry used without a container
     */
    public Set<String> containerAliases() {
        return containerAliases;
    }

    /**
     * Describes where an alias connects, without secrets: {@code address}, {@code secure}, and
     * {@code user} and {@code db_name} when set.
     *
     * @return the description; empty for an unknown alias
     */
    public Map<String, String> getConnectionAddr(String alias) {
        Entry entry = entries.get(alias);
        ConnectionSettings settings = entry != null && entry.settings != null ? entry.settings
                : configuredOrNull(alias);
        Map<String, String> address = new LinkedHashMap<>();
        if (settings != null) {
            address.put("address", settings.address());
            address.put("secure", Boolean.toString(settings.secure()));
            settings.user().ifPresent(user -> address.put("user", user));
            settings.databaseName().ifPresent(db -> address.put("db_name", db));
        }
        return address;
    }

    /**
     * Returns the settings an alias uses or would use.
     *
     * @return the settings; empty when the alias is unknown or its configuration is invalid
     */
    public Optional<ConnectionSettings> settings(String alias) {
        Entry entry = entries.get(alias);
        if (entry != null && entry.settings != null) {
            return Optional.of(entry.settings);
        }
        return Optional.ofNullable(configuredOrNull(alias));
    }

    /** @return the client if the alias is connected, without connecting */
    public Optional<MilvusClientV2> connected(String alias) {
        Entry entry = entries.get(alias);
        return Optional.ofNullable(entry == null ? null : entry.client);
    }

    /**
     * Closes one alias's client, whoever owns it; the container calls this when it destroys the bean.
     *
     * @param alias the alias
     */
    public void release(String alias) {
        Entry entry = entries.get(alias);
        if (entry != null) {
            entry.close();
        }
    }

    /**
     * Closes every client, each with a bounded wait, then, when this registry ever tried to open one,
     * waits (bounded) for gRPC's shared event loops to end so that they do not outlive an
     * application's class loader (see {@link GrpcEventLoops}), and empties this thread's Netty
     * thread-locals (see {@link GrpcThreadLocals}); the registry stays usable.
     */
    public void closeAll() {
        for (String alias : new TreeSet<>(entries.keySet())) {
            release(alias);
        }
        if (opened) {
            GrpcEventLoops.awaitEnd();
            GrpcThreadLocals.removeFromCurrentThread(); // closing ran Netty code on this thread too
        }
    }

    @Override
    public String toString() {
        return "ConnectionRegistry" + listConnections();
    }

    private ConnectionSettings configuredOrNull(String alias) {
        try {
            return configured.apply(alias).orElse(null);
        } catch (MilvusConfigurationException invalid) {
            return null;
        }
    }

    private void requireNotContainer(String alias, String what) {
        if (containerAliases.contains(alias)) {
            throw new IllegalStateException("Milvus alias '" + alias + "' cannot be " + what + ": it belongs to the "
                    + "container (configured under " + ConnectionSettingsReader.PREFIX + alias + "."
                    + "* or injected with @MilvusConnection(\"" + alias + "\")), and beans hold its client; "
                    + "the container closes it when the application stops. Use another alias for connections "
                    + "you manage yourself.");
        }
    }

    private static IllegalStateException notTheSame(String alias) {
        return new IllegalStateException("Alias of '" + alias + "' already creating connections, but the configure "
                + "is not the same as passed in.");
    }

    private static MilvusConfigurationException notConfigured(String alias) {
        return new MilvusConfigurationException(List.of("alias '" + alias + "': no connection is configured; set "
                + ConnectionKey.URI.fullKey(alias) + " (e.g. http://localhost:19530), or "
                + ConnectionKey.ADDRESS.fullKey(alias) + ", or " + ConnectionKey.HOST.fullKey(alias) + " and "
                + ConnectionKey.PORT.fullKey(alias) + ", or add it with MilvusConnections.addConnection"));
    }

    /** One alias: its settings and at most one client. Guarded by its own monitor. */
    private final class Entry {
        private final String alias;
        private ConnectionSettings settings;
        private volatile MilvusClientV2 client;

        Entry(String alias) {
            this.alias = alias;
        }

        boolean owned() {
            return containerAliases.contains(alias);
        }

        MilvusClientV2 client() {
            MilvusClientV2 existing = client;
            if (existing != null) {
                return existing;
            }
            synchronized (this) {
                if (client == null) {
                    if (settings == null) {
                        settings = configured.apply(alias).orElseThrow(() -> notConfigured(alias));
                    }
                    opened = true; // even a failed attempt starts gRPC's event loops
                    client = MilvusClients.open(settings, customizer);
                }
                return client;
            }
        }

        synchronized void close() {
            MilvusClientV2 open = client;
            client = null;
            if (open != null) {
                MilvusClients.close(settings, open, CLOSE_WAIT_SECONDS);
            }
        }
    }

}
