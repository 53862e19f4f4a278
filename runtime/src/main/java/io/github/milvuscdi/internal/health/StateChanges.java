package io.github.milvuscdi.internal.health;

import io.github.milvuscdi.internal.client.Outage;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

/**
 * Logs one line when an alias goes down and one when it comes back, never one per probe, and
 * neither when the application's calls logged that outage first (the alias's {@link Outage}): one WARNING and
 * one INFO per outage.
 *
 * <p>Thread-safe.
 */
final class StateChanges {

    private static final Logger LOG = Logger.getLogger(ReadinessProbe.class.getName());

    private final Map<String, AliasHealth.State> last = new ConcurrentHashMap<>();

    /**
     * Records what a probe found, logging when it changes the alias's state.
     *
     * @param health what the probe found
     * @param outage the alias's outage state, shared with its calls; {@code null} when it has none
     * @return whether the alias was down before and is up now
     */
    boolean record(AliasHealth health, Outage outage) {
        AliasHealth.State before = last.put(health.alias(), health.state());
        if (health.state() == AliasHealth.State.DOWN && before != AliasHealth.State.DOWN) {
            if (outage == null || outage.began()) {
                LOG.warning(() -> "Milvus alias '" + health.alias() + "' is not ready: " + health.describe());
            }
        } else if (health.state() == AliasHealth.State.UP && before == AliasHealth.State.DOWN) {
            if (outage == null || outage.ended()) {
                LOG.info(() -> "Milvus alias '" + health.alias() + "' is ready again: " + health.describe());
            }
            return true;
        }
        return false;
    }
}
