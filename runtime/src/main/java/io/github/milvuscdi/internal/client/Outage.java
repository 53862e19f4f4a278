package io.github.milvuscdi.internal.client;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Whether one alias's server is in an outage, as the application's calls ({@link CallOutageLog}) and
 * the readiness probe find it, so that an outage logs one WARNING when the first of them notices it
 * and one INFO when the first notices its end, not a pair each.
 *
 * <p>Each entry of a {@link ConnectionRegistry} holds one ({@link #of}); it goes
 * with the entry: another registry, or the alias removed and added again, starts afresh.
 *
 * <p>Thread-safe.
 */
public final class Outage {

    private final AtomicBoolean down = new AtomicBoolean();

    /**
     * An alias's outage state, shared by its calls and the readiness probe so that an outage is logged once.
     *
     * @param registry the registry that holds the alias
     * @param alias the alias
     * @return the state; empty when the alias has no entry yet
     */
    public static Optional<Outage> of(ConnectionRegistry registry, String alias) {
        AliasConnection entry = registry.entry(alias);
        return Optional.ofNullable(entry == null ? null : entry.outage);
    }

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
