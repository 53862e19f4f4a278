package io.github.milvuscdi.internal.client;

import io.github.milvuscdi.MilvusConfigurationException;
import io.github.milvuscdi.MilvusConnection;
import io.github.milvuscdi.MilvusConnectionException;
import io.github.milvuscdi.MilvusConnections;
import io.github.milvuscdi.internal.config.ConnectionSettings;
import io.github.milvuscdi.internal.config.MilvusConfiguration;
import io.milvus.v2.client.MilvusClientV2;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The {@link MilvusConnections} registry: one entry per alias, holding its settings and, once
 * connected, its only client. A container builds one, owning the aliases of its configuration;
 * {@link MilvusConnections#fromConfig} builds one that owns none.
 *
 * <p>Thread-safe. Each alias is an {@link AliasConnection}: concurrent first use makes one attempt
 * to connect, shared by every caller, so against a server that is down the slowest of many callers
 * waits about one {@code connect-timeout}, not one per caller. Once a container's registry has closed
 * its clients ({@link #closeAll()}), it opens no more.
 */
public final class ConnectionRegistry implements MilvusConnections {

    private final MilvusConfiguration configuration;
    private final boolean container;
    private final Set<String> containerAliases;
    private final ClientFactory factory;
    private final Map<String, AliasConnection> entries = new ConcurrentHashMap<>();
    /** Clients of container aliases released by their beans: told to close, waited for by {@link #closeAll()}. */
    private final List<Map.Entry<ConnectionSettings, MilvusClientV2>> closing = new CopyOnWriteArrayList<>();

    private volatile boolean opened;
    private volatile boolean stopped;

    /**
     * Creates a registry.
     *
     * @param configuration the configuration, read once; its aliases are the container's when {@code container}
     * @param container whether a container owns this registry: then the configuration's aliases
     *        cannot be disconnected or removed, and {@link #close()} is refused (see {@link #closeAll()})
     * @param factory opens and closes the clients
     */
    public ConnectionRegistry(MilvusConfiguration configuration, boolean container, ClientFactory factory) {
        this.configuration = configuration;
        this.container = container;
        this.containerAliases = container ? Set.copyOf(configuration.aliases()) : Set.of();
        this.factory = factory;
    }

    /** @return the configuration this registry was built from */
    public MilvusConfiguration configuration() {
        return configuration;
    }

    /**
     * Stores settings for an alias without connecting (pymilvus {@code add_connection}).
     *
     * @throws MilvusConfigurationException when the keys are invalid
     * @throws IllegalStateException when the alias is connected with other settings, or belongs to the container
     */
    @Override
    public void addConnection(String alias, Map<String, String> keys) {
        ConnectionSettings settings = configuration.read(alias, keys);
        requireNotContainer(alias, "given settings at run time");
        AliasConnection entry = entries.computeIfAbsent(alias, this::newEntry);
        synchronized (entry) {
            if ((entry.client != null || entry.attempt != null) && !settings.equals(entry.settings)) {
                throw RegistryRefusals.notTheSame(alias);
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
    @Override
    public MilvusClientV2 connect(String alias) {
        AliasConnection entry = entries.get(alias);
        if (entry == null) {
            ConnectionSettings settings =
                    configuration.settings(alias).orElseThrow(() -> RegistryRefusals.notConfigured(alias));
            entry = entries.computeIfAbsent(alias, this::newEntry);
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
    @Override
    public MilvusClientV2 connect(String alias, Map<String, String> keys) {
        ConnectionSettings settings = configuration.read(alias, keys);
        AliasConnection entry = entries.computeIfAbsent(alias, this::newEntry);
        synchronized (entry) {
            if (entry.client != null || entry.attempt != null || entry.owned()) {
                ConnectionSettings current = entry.settings != null
                        ? entry.settings
                        : configuration.settings(alias).orElse(null);
                if (!settings.equals(current)) {
                    throw RegistryRefusals.notTheSame(alias);
                }
                entry.settings = current;
            } else {
                entry.settings = settings;
            }
        }
        return entry.client(); // outside the monitor: connecting never holds it
    }

    /**
     * Closes the alias's client and keeps its settings; a no-op for an unknown alias.
     *
     * @throws IllegalStateException when the alias belongs to the container
     */
    @Override
    public void disconnect(String alias) {
        requireNotContainer(alias, "disconnected");
        release(alias);
    }

    /**
     * Closes the alias's client and forgets its settings; a no-op for an unknown alias.
     *
     * @throws IllegalStateException when the alias belongs to the container
     */
    @Override
    public void removeConnection(String alias) {
        requireNotContainer(alias, "removed");
        AliasConnection entry = entries.remove(alias);
        if (entry != null) {
            entry.remove();
        }
    }

    /** @return whether the alias has a connected client */
    @Override
    public boolean hasConnection(String alias) {
        AliasConnection entry = entries.get(alias);
        return entry != null && entry.client != null;
    }

    /**
     * Lists every alias known: the container's, those added at run time and {@code default}.
     *
     * @return alias to whether it is connected, sorted by alias
     */
    @Override
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
    @Override
    public Map<String, String> getConnectionAddr(String alias) {
        AliasConnection entry = entries.get(alias);
        ConnectionSettings settings =
                entry != null && entry.settings != null ? entry.settings : configuredOrNull(alias);
        Map<String, String> address = new LinkedHashMap<>();
        if (settings != null) {
            address.put("address", settings.address());
            address.put("secure", Boolean.toString(settings.secure()));
            if (settings.user() != null) {
                address.put("user", settings.user());
            }
            if (settings.databaseName() != null) {
                address.put("db_name", settings.databaseName());
            }
        }
        return address;
    }

    /**
     * Returns the settings an alias uses or would use.
     *
     * @return the settings; empty when the alias is unknown or its configuration is invalid
     */
    public Optional<ConnectionSettings> settings(String alias) {
        AliasConnection entry = entries.get(alias);
        if (entry != null && entry.settings != null) {
            return Optional.of(entry.settings);
        }
        return Optional.ofNullable(configuredOrNull(alias));
    }

    /** @return the client if the alias is connected, without connecting */
    public Optional<MilvusClientV2> connected(String alias) {
        AliasConnection entry = entries.get(alias);
        return Optional.ofNullable(entry == null ? null : entry.client);
    }

    /**
     * Closes one alias's client, whoever owns it: {@link #disconnect} and {@link #closeAll} do. Not
     * reachable by applications: the container hands them a facade with only {@link MilvusConnections}.
     * A container alias's client is told to close at once and waited for by {@link #closeAll()},
     * together with the others.
     *
     * @param alias the alias
     */
    public void release(String alias) {
        AliasConnection entry = entries.get(alias);
        if (entry == null) {
            return;
        }
        if (containerAliases.contains(alias)) {
            Map.Entry<ConnectionSettings, MilvusClientV2> open = entry.detach();
            if (open != null) {
                factory.closeSoon(open.getKey(), open.getValue());
                closing.add(open);
            }
        } else {
            entry.close();
        }
    }

    /**
     * Closes every client, together under one bounded wait, then, when this registry ever tried to
     * open one, tells the factory ({@link ClientFactory#closedAll()}). A container's registry first
     * cancels the attempts to connect under way and waits for them, bounded
     * ({@link ClientFactory#stopOpening()}), then refuses to connect ("the application is stopping"),
     * and last lets the factory wait for what the SDK keeps running
     * ({@link ClientFactory#applicationStopped()}); one made without a container stays usable, and
     * closing it waits for nothing but its own clients.
     */
    public void closeAll() {
        if (container) {
            stopped = true; // before closing, so that no attempt started from now on caches a client
            if (opened) {
                factory.stopOpening();
            }
        }
        List<Map.Entry<ConnectionSettings, MilvusClientV2>> open = new ArrayList<>(closing);
        closing.removeAll(open);
        for (String alias : new TreeSet<>(entries.keySet())) {
            AliasConnection entry = entries.get(alias);
            Map.Entry<ConnectionSettings, MilvusClientV2> client = entry == null ? null : entry.detach();
            if (client != null) {
                open.add(client);
            }
        }
        if (!open.isEmpty()) {
            factory.closeTogether(open);
        }
        if (opened) {
            factory.closedAll();
            if (container) {
                factory.applicationStopped();
            }
        }
    }

    /**
     * Closes every client of a registry made without a container.
     *
     * @throws IllegalStateException on a container's registry, whose clients beans hold
     */
    @Override
    public void close() {
        if (container) {
            throw new IllegalStateException("The container's MilvusConnections is closed by the container when the "
                    + "application stops; beans hold its clients. Use disconnect or removeConnection for aliases "
                    + "added at run time.");
        }
        closeAll();
    }

    /** @return the alias's entry; {@code null} when it has none yet */
    AliasConnection entry(String alias) {
        return entries.get(alias);
    }

    /** @return what opens, renews and closes this registry's clients */
    ClientFactory factory() {
        return factory;
    }

    @Override
    public String toString() {
        return "MilvusConnections" + listConnections();
    }

    private ConnectionSettings configuredOrNull(String alias) {
        try {
            return configuration.settings(alias).orElse(null);
        } catch (MilvusConfigurationException invalid) {
            return null;
        }
    }

    private void requireNotContainer(String alias, String what) {
        if (containerAliases.contains(alias)) {
            throw RegistryRefusals.containerAlias(alias, what);
        }
    }

    private AliasConnection newEntry(String alias) {
        return new AliasConnection(
                alias,
                containerAliases.contains(alias),
                factory,
                () -> stopped,
                () -> opened = true,
                () -> configuration.settings(alias).orElseThrow(() -> RegistryRefusals.notConfigured(alias)));
    }
}
