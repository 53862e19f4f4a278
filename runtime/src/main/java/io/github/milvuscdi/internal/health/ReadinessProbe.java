package io.github.milvuscdi.internal.health;

import io.github.milvuscdi.internal.client.ConnectionRegistry;
import io.github.milvuscdi.internal.client.Outage;
import io.github.milvuscdi.internal.config.ConnectionSettings;
import io.github.milvuscdi.internal.config.MilvusConfiguration;
import io.milvus.v2.client.MilvusClientV2;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.WeakHashMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Probes every enabled alias of one registry in parallel, each within a bound, and remembers
 * what is still running so that a server that never answers costs one thread, not one per probe.
 *
 * <p>The enabled aliases are the container's (configured or injected) and those added at run time
 * that are connected, less those with {@code health.enabled=false}. Each alias is probed on
 * {@link ProbeThreads}, with the application's class loader as context class loader (captured when
 * its configuration was read), whatever thread calls the check:
 * <ul>
 * <li>a connected alias is asked through {@link ServerProbe}, with the bound as the call's deadline;</li>
 * <li>a container alias never used yet is connected in the background, through the registry, so
 *     the client it creates is the very one injected later; until it is ready the alias is down
 *     ({@code connecting}), and the probe never waits for {@code connect-timeout}; once an attempt
 *     failed, the alias is down for that reason at once while the next attempt runs;</li>
 * <li>a probe still running when the next call starts is awaited again rather than started twice;
 *     should it then fail, that answer is old, and the alias is asked again within what is left.</li>
 * </ul>
 * The caller waits for all of them at most the bound plus {@link #GRACE}; what has not answered
 * by then is reported down.
 *
 * <p>A probe costs one round trip ({@code CheckHealth}): the server's version is asked once per
 * connection, and again after the alias was down. State changes are logged by {@link StateChanges}.
 *
 * <p>Thread-safe: concurrent probes share the running work.
 */
final class ReadinessProbe implements AutoCloseable {

    /** How much longer than the bound the caller waits, so that a call's own deadline can report first. */
    static final Duration GRACE = Duration.ofMillis(100);

    private final ConnectionRegistry registry;
    private final ServerCheck server;
    private final Map<String, Running> running = new ConcurrentHashMap<>();
    /** Why the last attempt to connect each alias failed, until one succeeds. */
    private final Map<String, String> connectFailures = new ConcurrentHashMap<>();

    private final Map<MilvusClientV2, String> versions = Collections.synchronizedMap(new WeakHashMap<>());
    private final StateChanges changes = new StateChanges();
    private final ProbeThreads threads = new ProbeThreads();

    /**
     * Creates a probe; no thread is started before the first {@link #probe(Duration)}.
     *
     * @param registry the registry whose aliases are probed
     */
    ReadinessProbe(ConnectionRegistry registry) {
        this(registry, ServerProbe::probe);
    }

    /**
     * Creates a probe that asks servers through {@code server}: {@link ServerProbe} in production, a
     * fake in the unit tests of scheduling, de-duplication and state changes.
     *
     * @param registry the registry whose aliases are probed
     * @param server asks one connected client's server
     */
    ReadinessProbe(ConnectionRegistry registry, ServerCheck server) {
        this.registry = registry;
        this.server = server;
    }

    /** Asks one connected client's server, within a deadline; the signature of {@link ServerProbe#probe}. */
    @FunctionalInterface
    interface ServerCheck {
        AliasHealth probe(
                String alias,
                ConnectionSettings settings,
                MilvusClientV2 client,
                String knownVersion,
                Duration timeout);
    }

    /**
     * Probes every enabled alias.
     *
     * @param timeout the bound on each alias; the call returns within it plus {@link #GRACE}
     * @return one result per enabled alias, sorted by alias
     */
    List<AliasHealth> probe(Duration timeout) {
        long started = System.nanoTime();
        long deadline = started + timeout.toNanos() + GRACE.toNanos();
        SortedMap<String, Running> probes = new TreeMap<>();
        SortedMap<String, ConnectionSettings> aliases = enabledAliases();
        aliases.forEach(
                (alias, settings) -> probes.put(alias, runningOrStart(alias, settings, timeout, aliases.size())));
        List<AliasHealth> report = new ArrayList<>();
        probes.forEach((alias, probe) -> {
            AliasHealth health = awaitOrKnown(alias, probe, deadline, timeout);
            if (health != null && !health.up() && probe.future.isDone() && probe.task.created - started < 0) {
                // A failure of a probe started by an earlier call is old news (a server frozen then,
                // answering now): ask again, within what is left of this call's bound.
                health = awaitOrKnown(
                        alias, runningOrStart(alias, aliases.get(alias), timeout, aliases.size()), deadline, timeout);
            }
            if (health != null) {
                report.add(health);
                changes.record(health, Outage.of(registry, alias).orElse(null));
            }
        });
        return report;
    }

    /**
     * Waits for a probe, unless it is connecting an alias whose last connection attempt failed: that
     * alias is down for the same reason until the new attempt succeeds, and saying so at once spares
     * the caller a wait of the whole bound (the attempt may take connect-timeout, the probe's caller
     * seldom waits that long).
     */
    private AliasHealth awaitOrKnown(String alias, Running probe, long deadline, Duration timeout) {
        String failing = connectFailures.get(alias);
        if (failing != null
                && !probe.future.isDone()
                && registry.connected(alias).isEmpty()) {
            return AliasHealth.down(alias, probe.task.settings, -1, failing);
        }
        return probe.await(deadline, timeout);
    }

    /** @return the configuration of the registry this probe probes */
    MilvusConfiguration configuration() {
        return registry.configuration();
    }

    /** Interrupts what is running and ends the threads; later probes report every alias down. */
    @Override
    public void close() {
        threads.close();
        running.clear();
    }

    /** @return the aliases to probe, with their settings; {@code null} settings when the configuration is invalid */
    private SortedMap<String, ConnectionSettings> enabledAliases() {
        SortedSet<String> aliases = new TreeSet<>(registry.containerAliases());
        registry.listConnections().forEach((alias, connected) -> {
            if (connected) {
                aliases.add(alias);
            }
        });
        SortedMap<String, ConnectionSettings> enabled = new TreeMap<>();
        for (String alias : aliases) {
            ConnectionSettings settings = registry.settings(alias).orElse(null);
            if (settings == null || settings.healthEnabled()) {
                enabled.put(alias, settings);
            }
        }
        return enabled;
    }

    /** @return the alias's probe still running, else a new one; never two at once for one alias */
    private Running runningOrStart(String alias, ConnectionSettings settings, Duration timeout, int aliases) {
        boolean containerAlias = registry.containerAliases().contains(alias);
        return running.compute(
                alias,
                (name, current) -> current != null && !current.future.isDone()
                        ? current
                        : start(name, settings, containerAlias, timeout, aliases));
    }

    private Running start(
            String alias, ConnectionSettings settings, boolean mayConnect, Duration timeout, int aliases) {
        AliasTask task = new AliasTask(alias, settings, mayConnect, timeout);
        try {
            return new Running(task, threads.submit(aliases, task));
        } catch (RejectedExecutionException stopping) {
            return new Running(
                    task,
                    CompletableFuture.completedFuture(
                            AliasHealth.down(alias, settings, -1, "the application is stopping")));
        }
    }

    /** A probe of one alias that may outlive the readiness call that started it. */
    private static final class Running {
        private final AliasTask task;
        private final Future<AliasHealth> future;

        Running(AliasTask task, Future<AliasHealth> future) {
            this.task = task;
            this.future = future;
        }

        /** @return the result, a down result when it is not there by the deadline, or {@code null} to leave the alias out */
        AliasHealth await(long deadline, Duration timeout) {
            try {
                return future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (TimeoutException late) {
                if (task.connecting) {
                    return AliasHealth.connecting(
                            task.alias,
                            task.settings,
                            "connecting, not ready within "
                                    + timeout.toMillis() + " ms"
                                    + (task.settings == null
                                            ? ""
                                            : " (connect-timeout "
                                                    + task.settings
                                                            .connectTimeout()
                                                            .toMillis() + " ms)"));
                }
                return AliasHealth.down(task.alias, task.settings, -1, ServerProbe.noAnswer(timeout));
            } catch (ExecutionException failed) {
                return AliasHealth.down(task.alias, task.settings, -1, ServerProbe.rootMessage(failed.getCause()));
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                return AliasHealth.down(task.alias, task.settings, -1, "interrupted while waiting for the probe");
            }
        }
    }

    /** Connects the alias when it may and must, then probes it. */
    private final class AliasTask implements Callable<AliasHealth> {
        private final String alias;
        private final ConnectionSettings settings;
        private final boolean mayConnect;
        private final Duration timeout;
        private final long created = System.nanoTime();
        private volatile boolean connecting;

        AliasTask(String alias, ConnectionSettings settings, boolean mayConnect, Duration timeout) {
            this.alias = alias;
            this.settings = settings;
            this.mayConnect = mayConnect;
            this.timeout = timeout;
        }

        @Override
        public AliasHealth call() {
            Thread thread = Thread.currentThread();
            ClassLoader previous = thread.getContextClassLoader();
            // the thread of whoever called the check may carry another application's class loader
            thread.setContextClassLoader(registry.configuration().applicationLoader());
            try {
                Optional<MilvusClientV2> client = registry.connected(alias);
                if (client.isEmpty()) {
                    if (!mayConnect) {
                        return null; // added at run time and disconnected since: no longer probed
                    }
                    long started = System.nanoTime();
                    connecting = true;
                    try {
                        client = Optional.of(registry.connect(alias));
                        connectFailures.remove(alias);
                    } catch (RuntimeException failed) {
                        String reason = ServerProbe.connectFailure(failed);
                        connectFailures.put(alias, reason);
                        return AliasHealth.down(
                                alias, settings, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started), reason);
                    } finally {
                        connecting = false;
                    }
                }
                MilvusClientV2 connected = client.get();
                AliasHealth health = server.probe(
                        alias, registry.settings(alias).orElse(settings), connected, versions.get(connected), timeout);
                if (health.up()) {
                    versions.put(connected, health.version());
                } else {
                    versions.remove(connected); // asked again once it is back: it may be another server
                }
                return health;
            } finally {
                thread.setContextClassLoader(previous);
            }
        }
    }
}
