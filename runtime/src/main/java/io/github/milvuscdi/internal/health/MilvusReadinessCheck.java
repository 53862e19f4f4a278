package io.github.milvuscdi.internal.health;

import io.github.milvuscdi.MilvusConfigurationException;
import io.github.milvuscdi.internal.client.ConnectionRegistry;
import io.github.milvuscdi.internal.config.GlobalKey;
import io.github.milvuscdi.internal.config.MilvusConfiguration;
import io.github.milvuscdi.internal.container.Internal;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * The MicroProfile Health readiness check named {@value #NAME}: one data entry per enabled alias
 * ({@link AliasHealth#describe()}: state, address, database, version, latency, the reason when down;
 * never a password or token), and {@code DOWN} when any of them is down. What users read, and how to
 * set the orchestrator's timeout, is docs/readiness.md.
 *
 * <p>Contract: the aliases are the container's and those added at run time that are connected, probed
 * in parallel by {@link ReadinessProbe}, each bounded by {@code milvus.health.timeout}, so a call returns
 * within that bound plus a little. {@code milvus.health.enabled=false} probes nothing and answers
 * {@code UP}; an invalid global key answers {@code DOWN} naming it ({@link #unprobed}). Nothing is read
 * from the configuration when called: the runtime may call it on a thread whose context class loader is
 * not the application's (Payara does).
 *
 * <p>Thread-safe; concurrent calls, and {@link MilvusStartupCheck}'s, share the probes in flight.
 */
@Readiness
@ApplicationScoped
public class MilvusReadinessCheck implements HealthCheck {

    /** The name of the check in the health report. */
    public static final String NAME = "milvus";

    /** The data key of the problem when a global key ({@code milvus.health.*}) is invalid. */
    public static final String CONFIGURATION_KEY = "configuration";

    @Inject
    @Internal
    Instance<ConnectionRegistry> registries;

    private ReadinessProbe probe;

    /**
     * Probes every enabled alias, in parallel and bounded.
     *
     * @return {@code UP} when every enabled alias is up (or there is none), else {@code DOWN}; one
     *         data entry per alias
     */
    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named(NAME);
        ReadinessProbe current = probe();
        if (current == null) {
            return response.up().build(); // no Milvus extension in this application: nothing to probe
        }
        MilvusConfiguration configuration = current.configuration();
        HealthCheckResponse unprobed = unprobed(response, configuration);
        if (unprobed != null) {
            return unprobed;
        }
        boolean up = true;
        for (AliasHealth health : current.probe(configuration.healthTimeout())) {
            response.withData(health.alias(), health.describe());
            up &= health.up();
        }
        return response.status(up).build();
    }

    /**
     * The answer of a check that probes nothing: {@code DOWN} naming an invalid global key, or {@code UP}
     * when {@code milvus.health.enabled=false}.
     *
     * @return that answer; {@code null} when the check probes
     */
    static HealthCheckResponse unprobed(HealthCheckResponseBuilder response, MilvusConfiguration configuration) {
        if (!configuration.healthProblems().isEmpty()) {
            return response.down()
                    .withData(
                            CONFIGURATION_KEY,
                            new MilvusConfigurationException(configuration.healthProblems()).getMessage())
                    .build();
        }
        if (!configuration.healthEnabled()) {
            return response.up().withData(GlobalKey.HEALTH_ENABLED.key(), false).build();
        }
        return null;
    }

    /** @return the probe, shared with {@link MilvusStartupCheck}; {@code null} without a Milvus extension */
    synchronized ReadinessProbe probe() {
        if (probe == null && registries.isResolvable()) {
            probe = new ReadinessProbe(registries.get());
        }
        return probe;
    }

    /** Stops the probes in flight and their threads when the application stops. */
    @PreDestroy
    synchronized void close() {
        if (probe != null) {
            probe.close();
        }
    }

    @Override
    public String toString() {
        return "MilvusReadinessCheck[" + NAME + "]";
    }
}
