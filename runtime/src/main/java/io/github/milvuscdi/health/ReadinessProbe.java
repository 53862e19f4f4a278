package io.github.milvuscdi.health;

import io.github.milvuscdi.client.ConnectionRegistry;
import io.github.milvuscdi.config.ConnectionSettings;
import io.milvus.v2.client.MilvusClientV2;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;

/**
 * Probes every enabled alias of one registry in parallel, each within a bound, and remembers
 * what is still running so that a server that never answers costs one thread, not one per probe.
 *
 * <p>The enabled aliases are the container's (configured or injected) and those added at run time
 * that are connected, less those with {@code health.enabled=false}. Each alias is probed on a pool
 * of daemon threads, at most one per alias and {@link #MAX_THREADS} in all, started when first
 * needed, ended after a minute idle, and all stopped by {@link #close()}:
 * <ul>
 * <li>a connected alias is asked through {@link ServerProbe}, with the bound as the call's deadline;</li>
 * <li>a container alias never used yet is connected in the background, through the registry, so
 *     the client it creates is the very one injected later; until it is ready the alias is down
 *     ({@code connecting}), and the probe never waits for {@code connect-timeout};</li>
 * <li>a probe still running when the next call starts is awaited again rather than started twice;
 *     should it then fail, that answer is old, and the alias is asked again within what is left.</li>
 * </ul>
 * The caller waits for all of them at most the bound plus {@link #GRACE}; what has not answered
 * by then is reported down.
 *
 * <p>Logs one line when an alias goes down and one when it comes back, never one per probe.
 *
 * <p>Thread-safe: concurrent probes share the running work.
 */
final class ReadinessProbe implements AutoCloseable {

    /** At most this many aliases are probed at the same moment; more wait their turn in a queue. */
    static final int MAX_THREADS = 16;

    /** How much longer than the bound the caller waits, so that a call's own deadline can report first. */
    static final Duration GRACE = Duration.ofMillis(100);

    private static final Logger LOG = Logger.getLogger(ReadinessProbe.class.getName());
    private static final long IDLE_THREAD_SECONDS = 60;
    private static final AtomicInteger POOLS = new AtomicInteger();
    private static final String CONNECTING = "connecting";

    private final ConnectionRegistry registry;
    private final Map<String, Running> running = new ConcurrentHashMap<>();
    private final Map<String, State> lastStates = new ConcurrentHashMap<>();
    private final Set<String> leftOut = ConcurrentHashMap.newKeySet();
    private ThreadPoolExecutor executor;
    private boolean closed;

    /** The state last seen of an alias, to log changes only. */
    private enum State { UP, CONNECTING, DOWN }

    /**
     * Creates a probe; no thread is started before the first {@link #probe(Duration)}.
     *
     * @param registry the registry whose aliases are probed
     */
    ReadinessProbe(ConnectionRegistry registry) {
        this.registry = registry;
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
        threads(aliases.size());
        aliases.forEach((alias, settings) -> probes.put(alias, runningOrStart(alias, settings, timeout)));
        List<AliasHealth> report = new ArrayList<>();
        probes.forEach((alias, probe) -> {
            AliasHealth health = probe.await(deadline, timeout);
            if (health != null && !health.up() && probe.future.isDone() && probe.task.created - started < 0) {
                // A failure of a probe started by an earlier call is old news (a server frozen then,
                // answering now): ask again, within what is left of this call's bound.
                health = runningOrStart(alias, aliases.get(alias), timeout).await(deadline, timeout);
            }
            if (health != null) {
                report.add(health);
                logChange(health);
            }
        });
        return report;
    }

    /** Interrupts what is running and ends the threads; later probes report every alias down. */
    @Override
    public void close() {
        ThreadPoolExecutor toStop;
        synchronized (this) {
            closed = true;
            toStop = executor;
            executor = null;
        }
        if (toStop != null) {
            toStop.shutdownNow();
        }
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
            if (leftOut.contains(alias)) {
                continue;
            }
            ConnectionSettings settings = registry.settings(alias).orElse(null);
            if (settings == null || settings.healthEnabled()) {
                enabled.put(alias, settings);
            } else if (registry.containerAliases().contains(alias)) {
                // an alias's keys do not change while it runs; reading them again would log again
                leftOut.add(alias);
            }
        }
        return enabled;
    }

    /** @return the alias's probe still running, else a new one; never two at once for one alias */
    private Running runningOrStart(String alias, ConnectionSettings settings, Duration timeout) {
        boolean containerAlias = registry.containerAliases().contains(alias);
        return running.compute(alias, (name, current) -> current != null && !current.future.isDone()
                ? current : start(name, settings, containerAlias, timeout));
    }

    private Running start(String alias, ConnectionSettings settings, boolean mayConnect, Duration timeout) {
        AliasTask task = new AliasTask(alias, settings, mayConnect, timeout,
                Thread.currentThread().getContextClassLoader());
        try {
            return new Running(task, executor().submit(task));
        } catch (RejectedExecutionException stopping) {
            return new Running(task, CompletableFuture.completedFuture(
                    AliasHealth.down(alias, settings, -1, "the application is stopping")));
        }
    }

    private synchronized ThreadPoolExecutor executor() {
        if (closed) {
            throw new RejectedExecutionException("closed");
        }
        if (executor == null) {
            executor = new ThreadPoolExecutor(1, 1, IDLE_THREAD_SECONDS, TimeUnit.SECONDS,
                    new LinkedBlockingQueue<>(), daemonThreads());
            executor.allowCoreThreadTimeOut(true);
        }
        return executor;
    }

    /**
     * Sizes the pool to the number of aliases, at most {@link #MAX_THREADS}: each alias has at most
     * one probe running, so that many threads never make a probe wait behind a hung one, and no
     * more are ever started.
     */
    private synchronized void threads(int aliases) {
        if (closed || aliases == 0) {
            return;
        }
        ThreadPoolExecutor pool = executor();
        int size = Math.min(aliases, MAX_THREADS);
        if (size > pool.getMaximumPoolSize()) {
            pool.setMaximumPoolSize(size);
            pool.setCorePoolSize(size);
        } else if (size < pool.getCorePoolSize()) {
            pool.setCorePoolSize(size);
            pool.setMaximumPoolSize(size);
        }
    }

    private static ThreadFactory daemonThreads() {
        String prefix = "milvus-readiness-" + POOLS.incrementAndGet() + "-";
        AtomicInteger count = new AtomicInteger();
        return work -> {
            Thread thread = new Thread(work, prefix + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    private void logChange(AliasHealth health) {
        State now = health.up() ? State.UP : health.reason().startsWith(CONNECTING) ? State.CONNECTING
                : State.DOWN;
        State before = lastStates.put(health.alias(), now);
        if (now == State.DOWN && before != State.DOWN) {
            LOG.warning(() -> "Milvus alias '" + health.alias() + "' is not ready: " + health.describe());
        } else if (now == State.UP && before == State.DOWN) {
            LOG.info(() -> "Milvus alias '" + health.alias() + "' is ready again: " + health.describe());
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
                return AliasHealth.down(task.alias, task.settings, -1, task.connecting
                        ? CONNECTING + ", not ready within " + timeout.toMillis() + " ms"
                                + (task.settings == null ? "" : " (connect-timeout "
                                        + task.settings.connectTimeout().toMillis() + " ms)")
                        : ServerProbe.noAnswer(timeout));
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
        private final ClassLoader loader;
        private final long created = System.nanoTime();
        private volatile boolean connecting;

        AliasTask(String alias, ConnectionSettings settings, boolean mayConnect, Duration timeout, ClassLoader loader) {
            this.alias = alias;
            this.settings = settings;
            this.mayConnect = mayConnect;
            this.timeout = timeout;
            this.loader = loader;
        }

        @Override
        public AliasHealth call() {
            Thread thread = Thread.currentThread();
            ClassLoader previous = thread.getContextClassLoader();
            // the registry reads the application's configuration through the context class loader
            thread.setContextClassLoader(loader);
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
                    } catch (RuntimeException failed) {
                        return AliasHealth.down(alias, settings,
                                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started),
                                ServerProbe.connectFailure(failed, settings));
                    } finally {
                        connecting = false;
                    }
                }
                return ServerProbe.probe(alias, registry.settings(alias).orElse(settings), client.get(), timeout);
            } finally {
                thread.setContextClassLoader(previous);
            }
        }
    }
}
