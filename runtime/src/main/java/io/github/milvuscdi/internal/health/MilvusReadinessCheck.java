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
 * The MicroProfile Health readiness check named {@value #NAME}: one data entry per enabled alias,
 * and {@code DOWN} when any of them is down.
 *
 * <p>Discovered on every runtime (the runtime jar is a bean archive); nothing to declare. Served as
 * part of {@code /health/ready} (Quarkus: {@code /q/health/ready}):
 *
 * <pre>{@code
 * {
 *   "name": "milvus",
 *   "status": "DOWN",
 *   "data": {
 *     "archive": "DOWN 10.0.0.7:19530 db=default latency=1ms reason=UNAVAILABLE: io exception (Connection refused: /10.0.0.7:19530)",
 *     "search": "UP milvus.example.com:443 tls db=search version=v2.6.3 latency=4ms"
 *   }
 * }
 * }</pre>
 *
 * <p>Each entry is keyed by the alias and reads: {@code UP} or {@code DOWN}, the address,
 * {@code tls} when the connection is secure, {@code db=} the database ({@code default} when none is
 * configured), then {@code version=} the server's version when up, {@code latency=} how long the
 * probe took when it finished, and {@code reason=} why the alias is down, always last. A down alias
 * that has not answered reads {@code reason=no answer within 2000 ms}; one never used before reads
 * {@code reason=connecting, ...} while it connects in the background. No entry ever holds a password
 * or token.
 *
 * <p>The aliases are the container's (configured or injected) and those added at run time through
 * {@code MilvusConnections} that are connected. They are probed in parallel, each bounded by
 * {@code milvus.health.timeout} (default {@code 2s}), so the check answers within that bound plus
 * a little, whether servers refuse connections, accept them and never reply, or were never used:
 * see {@link ReadinessProbe}. Set the orchestrator's probe timeout above that bound (Kubernetes's
 * {@code timeoutSeconds} defaults to 1 s).
 *
 * <p>Switches, read with the rest of the configuration when the application starts (not when it
 * is built), so an environment variable works on every runtime, Quarkus included:
 * {@code milvus.connections.<alias>.health.enabled=false} leaves that alias out;
 * {@code milvus.health.enabled=false} ({@code MILVUS_HEALTH_ENABLED=false}) turns the check off: it
 * probes nothing and answers {@code UP} with the single entry {@code "milvus.health.enabled": false}.
 * The check stays registered, because whether a bean exists is decided when the application is
 * built, which in Quarkus is before any environment variable can be read. An invalid value of
 * either global key makes the check {@code DOWN} with an entry {@code configuration} that names the
 * key, the value and what is accepted.
 *
 * <p>Nothing is read from the configuration when the check is called: the runtime may call it on a
 * thread of its own whose context class loader is not the application's (Payara does).
 *
 * <p>Thread-safe; concurrent calls share the probes in flight.
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
