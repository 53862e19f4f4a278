package io.github.milvuscdi.internal.credentials;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The thread that reads sources of credentials again, one per client factory, started on first use: a daemon
 * with no context class loader (it pins no application's), ended when the factory closes its clients or when it
 * has had nothing to do for a few seconds.
 *
 * <p>Thread-safe.
 */
public final class CredentialsChecks {

    private ScheduledThreadPoolExecutor executor;

    /** @return the executor, started if needed */
    public synchronized ScheduledExecutorService executor() {
        if (executor == null) {
            executor = new ScheduledThreadPoolExecutor(1, task -> {
                Thread thread = new Thread(task, "milvus-cdi-credentials");
                thread.setDaemon(true);
                thread.setContextClassLoader(null);
                return thread;
            });
            executor.setKeepAliveTime(5, TimeUnit.SECONDS);
            executor.allowCoreThreadTimeOut(true);
            executor.setRemoveOnCancelPolicy(true);
        }
        return executor;
    }

    /** Ends the thread; a later {@link #executor()} starts another. */
    public void shutdown() {
        ScheduledThreadPoolExecutor ending;
        synchronized (this) {
            ending = executor;
            executor = null;
        }
        if (ending != null) {
            ending.shutdownNow();
        }
    }
}
