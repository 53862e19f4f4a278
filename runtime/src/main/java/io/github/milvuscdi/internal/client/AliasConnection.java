package io.github.milvuscdi.internal.client;

import io.github.milvuscdi.MilvusConnectionException;
import io.github.milvuscdi.internal.config.ConnectionSettings;
import io.github.milvuscdi.internal.sdk.MilvusSdk;
import io.milvus.v2.client.MilvusClientV2;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * One alias of a {@link ConnectionRegistry}: its settings, at most one client, and at most one
 * attempt to connect under way, whose outcome every caller arriving meanwhile shares (and, for a
 * failure, those arriving within a second after it: containers queue bean creation behind a lock of
 * their own). A client whose alias was disconnected, removed or stopped while it connected is closed,
 * never kept. Guarded by its own monitor, which is never held while connecting; the registry reads
 * and sets {@code settings} under it.
 */
final class AliasConnection {
    private final String alias;
    private final boolean owned;
    private final ClientFactory factory;
    private final BooleanSupplier stopped;
    private final Runnable opening;
    private final Supplier<ConnectionSettings> configured;
    /** Whether its server is in an outage, as its calls and the readiness probe find it. */
    final Outage outage = new Outage();

    ConnectionSettings settings;
    volatile MilvusClientV2 client;
    CompletableFuture<MilvusClientV2> attempt;
    private boolean removed;
    private RuntimeException lastFailure;
    private long failedAt;

    /**
     * Creates the alias's entry.
     *
     * @param alias the alias
     * @param owned whether the container owns it: its client is then shared with the whole application
     * @param factory opens and closes its clients
     * @param stopped whether the registry has stopped: then no client is opened or kept
     * @param opening called before each attempt, which starts gRPC's event loops even when it fails
     * @param configured the alias's settings in configuration; throws when it has none
     */
    AliasConnection(
            String alias,
            boolean owned,
            ClientFactory factory,
            BooleanSupplier stopped,
            Runnable opening,
            Supplier<ConnectionSettings> configured) {
        this.alias = alias;
        this.owned = owned;
        this.factory = factory;
        this.stopped = stopped;
        this.opening = opening;
        this.configured = configured;
    }

    boolean owned() {
        return owned;
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
            if (attempt == null && lastFailure != null && System.nanoTime() - failedAt < failureHoldNanos(settings)) {
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
                    settings = configured.get();
                }
                using = settings;
                mine = new CompletableFuture<>();
                attempt = mine;
                theirs = null;
                opening.run();
            }
        }
        return mine != null ? connect(mine, using) : await(theirs, using);
    }

    private MilvusClientV2 connect(CompletableFuture<MilvusClientV2> mine, ConnectionSettings using) {
        MilvusClientV2 opened;
        try {
            opened = factory.open(using, outage);
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
            if (attempt == mine && !removed && !stopped.getAsBoolean()) {
                attempt = null;
                lastFailure = null;
                if (owned()) {
                    // before publishing: client() reads the field without the monitor, and a caller
                    // that saw the client unshared could close it under everyone
                    MilvusSdk.shareWithApplication(opened, alias);
                }
                client = opened;
                mine.complete(opened);
                return opened;
            }
            if (attempt == mine) {
                attempt = null;
            }
            superseded = stopped.getAsBoolean()
                    ? stopping(alias)
                    : new MilvusConnectionException(
                            alias,
                            "Milvus alias '" + alias
                                    + "' was disconnected or removed while it connected; its new client was closed",
                            null);
        }
        // Disconnected, removed or stopped meanwhile: nobody else would ever close this client.
        factory.close(using, opened);
        mine.completeExceptionally(superseded);
        throw superseded;
    }

    /**
     * Waits for another caller's attempt, a little longer than that attempt can last: resolving the host
     * (connect-timeout), connecting and checking the database (twice connect-timeout), closing a failed
     * client (a second), and a margin for the application's customizer. Waiting less would give up on
     * an attempt that may still succeed (connect-timeout over 3 s).
     */
    private MilvusClientV2 await(CompletableFuture<MilvusClientV2> theirs, ConnectionSettings using) {
        long bound = 3 * using.connectTimeout().toMillis() + TimeUnit.SECONDS.toMillis(5);
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
            throw new MilvusConnectionException(
                    alias,
                    "Milvus alias '" + alias + "': interrupted while " + "waiting for its connection",
                    interrupted);
        } catch (TimeoutException late) {
            throw new MilvusConnectionException(
                    alias,
                    "Milvus alias '" + alias + "': no connection to " + using.address() + " within " + bound + " ms",
                    late);
        }
    }

    /** How long a failed attempt's outcome is given to callers arriving after it: up to 1 s. */
    private long failureHoldNanos(ConnectionSettings using) {
        long timeout = using == null ? 0 : using.connectTimeout().toNanos();
        return Math.min(timeout, TimeUnit.SECONDS.toNanos(1));
    }

    private void requireOpen() {
        if (stopped.getAsBoolean()) {
            throw stopping(alias);
        }
        if (removed) {
            throw new MilvusConnectionException(
                    alias,
                    "Milvus alias '" + alias + "' was removed while this "
                            + "call connected it; add it again to use it",
                    null);
        }
    }

    /** Closes the client, and makes an attempt under way close its own when it ends. */
    void close() {
        Map.Entry<ConnectionSettings, MilvusClientV2> open = detach();
        if (open != null) {
            factory.close(open.getKey(), open.getValue());
        }
    }

    /**
     * Forgets the client for the caller to close, and makes an attempt under way close its own when it ends.
     *
     * @return the client with its settings; {@code null} when none is connected
     */
    Map.Entry<ConnectionSettings, MilvusClientV2> detach() {
        synchronized (this) {
            MilvusClientV2 open = client;
            client = null;
            attempt = null;
            lastFailure = null;
            return open == null ? null : Map.entry(settings, open);
        }
    }

    void remove() {
        synchronized (this) {
            removed = true;
        }
        close();
    }

    static MilvusConnectionException stopping(String alias) {
        return new MilvusConnectionException(
                alias,
                "Milvus alias '" + alias + "': the application is stopping; "
                        + "its Milvus connections are closed and no new one is opened",
                null);
    }
}
