package io.github.milvuscdi.internal.client;

import io.github.milvuscdi.MilvusConfigurationException;
import io.github.milvuscdi.MilvusConnection;
import io.github.milvuscdi.MilvusConnectionException;
import io.github.milvuscdi.MilvusConnections;
import io.github.milvuscdi.internal.config.AliasDiscovery;
import io.github.milvuscdi.internal.config.ConnectionKey;
import io.github.milvuscdi.internal.config.ConnectionSettings;
import io.github.milvuscdi.internal.config.MilvusConfiguration;
import io.github.milvuscdi.internal.sdk.MilvusSdk;
import io.milvus.v2.client.MilvusClientV2;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The {@link MilvusConnections} registry: one entry per alias, holding its settings and, once
 * connected, its only client. A container builds one, owning the aliases of its configuration;
 * {@link MilvusConnections#fromConfig} builds one that owns none.
 *
 * <p>Thread-safe. Concurrent first use of one alias makes one attempt to connect, and every caller
 * that arrives while it runs waits for it and gets its outcome, as do callers arriving within a
 * second after it failed (they were queued behind a container's own lock): against a server that is
 * down, the slowest of many callers waits about one {@code connect-timeout}, not one per caller. A client whose
 * alias was disconnected or removed while it connected is closed, never cached; once a container's
 * registry has closed its clients ({@link #closeAll()}), it opens no more.
 */
public final class ConnectionRegistry implements MilvusConnections {

    private final MilvusConfiguration configuration;
    private final boolean container;
    private final Set<String> containerAliases;
    private final ClientFactory factory;
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
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
        Entry entry = entries.computeIfAbsent(alias, Entry::new);
        synchronized (entry) {
            if ((entry.client != null || entry.attempt != null) && !settings.equals(entry.settings)) {
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
    @Override
    public MilvusClientV2 connect(String alias) {
        Entry entry = entries.get(alias);
        if (entry == null) {
            ConnectionSettings settings = configuration.settings(alias).orElseThrow(() -> notConfigured(alias));
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
    @Override
    public MilvusClientV2 connect(String alias, Map<String, String> keys) {
        ConnectionSettings settings = configuration.read(alias, keys);
        Entry entry = entries.computeIfAbsent(alias, Entry::new);
        synchronized (entry) {
            if (entry.client != null || entry.attempt != null || entry.owned()) {
                ConnectionSettings current = entry.settings != null ? entry.settings
                        : configuration.settings(alias).orElse(null);
                if (!settings.equals(current)) {
                    throw notTheSame(alias);
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
        Entry entry = entries.remove(alias);
        if (entry != null) {
            entry.remove();
        }
    }

    /** @return whether the alias has a connected client */
    @Override
    public boolean hasConnection(String alias) {
        Entry entry = entries.get(alias);
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
        Entry entry = entries.get(alias);
        ConnectionSettings settings = entry != null && entry.settings != null ? entry.settings
                : configuredOrNull(alias);
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
     * tells the factory ({@link ClientFactory#closedAll()}). A container's registry then refuses to
     * connect ("the application is stopping"); one made without a container stays usable.
     */
    public void closeAll() {
        if (container) {
            stopped = true; // before closing, so that no attempt started from now on caches a client
        }
        for (String alias : new TreeSet<>(entries.keySet())) {
            release(alias);
        }
        if (opened) {
            factory.closedAll();
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
            throw new IllegalStateException("Milvus alias '" + alias + "' cannot be " + what + ": it belongs to the "
                    + "container (configured under " + AliasDiscovery.PREFIX + alias + "."
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

    private MilvusConnectionException stopping(String alias) {
        return new MilvusConnectionException(alias, "Milvus alias '" + alias + "': the application is stopping; "
                + "its Milvus connections are closed and no new one is opened", null);
    }

    /**
     * One alias: its settings, at most one client, and at most one attempt to connect under way.
     * Guarded by its own monitor, which is never held while connecting.
     */
    private final class Entry {
        private final String alias;
        private ConnectionSettings settings;
        private volatile MilvusClientV2 client;
        private CompletableFuture<MilvusClientV2> attempt;
        private boolean removed;
        private RuntimeException lastFailure;
        private long failedAt;

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
            CompletableFuture<MilvusClientV2> mine;
            CompletableFuture<MilvusClientV2> theirs;
            ConnectionSettings using;
            synchronized (this) {
                requireOpen();
                if (client != null) {
                    return client;
                }
                if (attempt == null && lastFailure != null
                        && System.nanoTime() - failedAt < failureHoldNanos(settings)) {
                    // Containers create a bean under a lock of their own (Weld, ArC): callers queued
                    // there arrive one by one after the attempt ended, and would each make their own.
                    // Those that arrive just after it get its outcome instead.
                    throw lastFailure;
                }
                if (attempt != null) {
                    theirs = attempt;
                    mine = null;
                    using = settings;
                } else {
                    if (settings == null) {
                        settings = configuration.settings(alias).orElseThrow(() -> notConfigured(alias));
                    }
                    using = settings;
                    mine = new CompletableFuture<>();
                    attempt = mine;
                    theirs = null;
                    opened = true; // even a failed attempt starts gRPC's event loops
                }
            }
            return mine != null ? connect(mine, using) : await(theirs, using);
        }

        private MilvusClientV2 connect(CompletableFuture<MilvusClientV2> mine, ConnectionSettings using) {
            MilvusClientV2 opened;
            try {
                opened = factory.open(using);
            } catch (RuntimeException | Error failed) {
                synchronized (this) {
                    if (attempt == mine) {
                        attempt = null;
                        if (failed instanceof RuntimeException runtime) {
                            lastFailure = runtime;
                            failedAt = System.nanoTime();
                        }
                    }
                }
                mine.completeExceptionally(failed);
                throw failed;
            }
            RuntimeException superseded;
            synchronized (this) {
                if (attempt == mine && !removed && !stopped) {
                    attempt = null;
                    lastFailure = null;
                    client = opened;
                    if (owned()) {
                        MilvusSdk.shareWithApplication(opened, alias);
                    }
                    mine.complete(opened);
                    return opened;
                }
                if (attempt == mine) {
                    attempt = null;
                }
                superseded = stopped ? stopping(alias) : new MilvusConnectionException(alias, "Milvus alias '"
                        + alias + "' was disconnected or removed while it connected; its new client was closed",
                        null);
            }
            // Disconnected, removed or stopped meanwhile: nobody else would ever close this client.
            factory.close(using, opened);
            mine.completeExceptionally(superseded);
            throw superseded;
        }

        /** Waits for another caller's attempt; bounded, since that attempt is (twice connect-timeout). */
        private MilvusClientV2 await(CompletableFuture<MilvusClientV2> theirs, ConnectionSettings using) {
            long bound = 2 * using.connectTimeout().toMillis() + TimeUnit.SECONDS.toMillis(5);
            try {
                return theirs.get(bound, TimeUnit.MILLISECONDS);
            } catch (ExecutionException failed) {
                Throwable cause = failed.getCause();
                if (cause instanceof RuntimeException runtime) {
                    throw runtime; // the same outcome as the caller who connected
                }
                if (cause instanceof Error error) {
                    throw error;
                }
                throw new MilvusConnectionException(alias, "Milvus alias '" + alias + "': connecting failed", cause);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                throw new MilvusConnectionException(alias, "Milvus alias '" + alias + "': interrupted while "
                        + "waiting for its connection", interrupted);
            } catch (TimeoutException late) {
                throw new MilvusConnectionException(alias, "Milvus alias '" + alias + "': no connection to "
                        + using.address() + " within " + bound + " ms", late);
            }
        }

        /** How long a failed attempt's outcome is given to callers arriving after it: up to 1 s. */
        private long failureHoldNanos(ConnectionSettings using) {
            long timeout = using == null ? 0 : using.connectTimeout().toNanos();
            return Math.min(timeout, TimeUnit.SECONDS.toNanos(1));
        }

        private void requireOpen() {
            if (stopped) {
                throw stopping(alias);
            }
            if (removed) {
                throw new MilvusConnectionException(alias, "Milvus alias '" + alias + "' was removed while this "
                        + "call connected it; add it again to use it", null);
            }
        }

        /** Closes the client, and makes an attempt under way close its own when it ends. */
        void close() {
            MilvusClientV2 open;
            synchronized (this) {
                open = client;
                client = null;
                attempt = null;
                lastFailure = null;
            }
            if (open != null) {
                factory.close(settings, open);
            }
        }

        void remove() {
            synchronized (this) {
                removed = true;
            }
            close();
        }
    }

}
