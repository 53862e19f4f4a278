package io.github.milvuscdi.internal.health;

import java.util.concurrent.Callable;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The daemon threads readiness probes run on: started when first needed, as many as there are
 * aliases up to {@link #MAX_THREADS} (each alias has at most one probe running, so a probe never
 * waits behind a hung one), ended after a minute idle, all stopped by {@link #close()}.
 *
 * <p>Thread-safe.
 */
final class ProbeThreads implements AutoCloseable {

    /** At most this many aliases are probed at the same moment; more wait their turn in a queue. */
    static final int MAX_THREADS = 16;

    private static final long IDLE_THREAD_SECONDS = 60;
    private static final AtomicInteger POOLS = new AtomicInteger();

    private ThreadPoolExecutor executor;
    private boolean closed;

    /**
     * Runs a task.
     *
     * @param aliases how many aliases are being probed, to size the pool
     * @param task the probe
     * @return its future
     * @throws RejectedExecutionException once closed
     */
    synchronized <T> Future<T> submit(int aliases, Callable<T> task) {
        if (closed) {
            throw new RejectedExecutionException("closed");
        }
        if (executor == null) {
            executor = new ThreadPoolExecutor(
                    1, 1, IDLE_THREAD_SECONDS, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), daemonThreads());
            executor.allowCoreThreadTimeOut(true);
        }
        int size = Math.max(1, Math.min(aliases, MAX_THREADS));
        if (size > executor.getMaximumPoolSize()) {
            executor.setMaximumPoolSize(size);
            executor.setCorePoolSize(size);
        } else if (size < executor.getCorePoolSize()) {
            executor.setCorePoolSize(size);
            executor.setMaximumPoolSize(size);
        }
        return executor.submit(task);
    }

    /** Interrupts what is running and ends the threads; later submissions are rejected. */
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
}
