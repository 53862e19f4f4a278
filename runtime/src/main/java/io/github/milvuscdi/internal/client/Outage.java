package io.github.milvuscdi.internal.client;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Whether one alias's server is in an outage, as the application's calls ({@link CallOutageLog}) and
 * the readiness probe find it, so that an outage logs one WARNING when the first of them notices it
 * and one INFO when the first notices its end, not a pair each.
 *
 * <p>Each entry of a {@link ConnectionRegistry} holds one ({@link ConnectionRegistry#outage}); it goes
 * with the entry: another registry, or the alias removed and added again, starts afresh.
 *
 * <p>Thread-safe.
 */
public final class Outage {

    private final AtomicBoolean down = new AtomicBoolean();

    /**
     * Records that the alias's server is unavailable.
     *
     * @return whether this starts an outage: the caller logs it
     */
    public boolean began() {
        return down.compareAndSet(false, true);
    }

    /**
     * Records that the alias's server answers.
     *
     * @return whether this ends an outage: the caller logs it
     */
    public boolean ended() {
        return down.compareAndSet(true, false);
    }
}
