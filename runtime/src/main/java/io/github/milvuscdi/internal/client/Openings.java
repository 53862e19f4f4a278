package io.github.milvuscdi.internal.client;

import io.milvus.v2.client.MilvusClientV2;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * The opens under way in one {@link SdkClientFactory}, whether it still opens, and its one timer.
 *
 * <p>Contract: an open {@link #enter enters} and {@link #exit exits}; while its client connects, it
 * is {@link #connecting registered}, so that {@link #stop} can tell its channel to close (its connect
 * then fails at once). Once stopping, entering and registering fail with {@link AliasConnection#stopping},
 * and a timer that has ended is never started again. {@link #stop} waits at most {@link #STOP_WAIT}.
 *
 * <p>Thread-safe: everything is guarded by this object.
 */
final class Openings {

    private static final Logger LOG = Logger.getLogger(SdkClientFactory.class.getName());

    /** How long stopping the application waits for attempts to connect under way. */
    static final Duration STOP_WAIT = Duration.ofSeconds(5);

    private ScheduledThreadPoolExecutor timer;
    private boolean stopping;
    private int opening;
    private final Set<MilvusClientV2> connecting = new HashSet<>();

    /** Counts an open; throws when the application stops. */
    synchronized void enter(String alias) {
        if (stopping) {
            throw AliasConnection.stopping(alias);
        }
        opening++;
    }

    /** Ends an open counted by {@link #enter}. */
    synchronized void exit() {
        opening--;
        notifyAll();
    }

    /**
     * Registers a client about to connect, whose channel {@link #stop} closes.
     *
     * @return {@code false} when the application stops: the client was not registered
     */
    synchronized boolean connecting(MilvusClientV2 client) {
        if (stopping) {
            return false;
        }
        connecting.add(client);
        return true;
    }

    /** Unregisters a client registered by {@link #connecting}, connected or not. */
    synchronized void connectEnded(MilvusClientV2 client) {
        connecting.remove(client);
    }

    /**
     * Refuses opens from now on, tells the channel of every client connecting to close at once, and
     * waits for the opens under way to return, at most {@link #STOP_WAIT}.
     */
    void stop() {
        List<MilvusClientV2> cancelled;
        synchronized (this) {
            stopping = true;
            cancelled = new ArrayList<>(connecting);
        }
        cancelled.forEach(ClientClosing::closeNow);
        long deadline = System.nanoTime() + STOP_WAIT.toNanos();
        synchronized (this) {
            long left;
            while (opening > 0 && (left = deadline - System.nanoTime()) > 0) {
                try {
                    TimeUnit.NANOSECONDS.timedWait(this, left);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            if (opening > 0) {
                int late = opening;
                LOG.warning(() -> late + " Milvus connection attempts still under way " + STOP_WAIT.toSeconds()
                        + " s after the application began to stop; their clients are closed when they end");
            }
        }
    }

    /**
     * The one timer, a daemon thread that ends when idle and when the registry closes; it has no
     * context class loader, so it pins no application's. Its tasks only tell a channel to close or
     * end a call: none blocks.
     */
    synchronized ScheduledExecutorService timer(String alias) {
        if (stopping && timer == null) {
            throw AliasConnection.stopping(alias); // once ended, never started again by a late attempt
        }
        if (timer == null) {
            timer = new ScheduledThreadPoolExecutor(1, task -> {
                Thread thread = new Thread(task, "milvus-cdi-timer");
                thread.setDaemon(true);
                thread.setContextClassLoader(null);
                return thread;
            });
            timer.setKeepAliveTime(5, TimeUnit.SECONDS);
            timer.allowCoreThreadTimeOut(true);
            timer.setRemoveOnCancelPolicy(true);
        }
        return timer;
    }

    /** Ends the timer, waiting for nothing. */
    void endTimer() {
        ScheduledThreadPoolExecutor ending;
        synchronized (this) {
            ending = timer;
            timer = null;
        }
        if (ending != null) {
            ending.shutdownNow(); // its tasks only tell a channel to close; none blocks
        }
    }
}
