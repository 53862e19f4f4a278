package io.github.milvuscdi.health;

import io.github.milvuscdi.MilvusConfigurationException;
import io.github.milvuscdi.client.ConnectionRegistry;
import io.github.milvuscdi.config.ConnectionSettingsReader;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.time.Duration;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
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
 * <p>Switches, read at run time, so an environment variable works on every runtime, Quarkus
 * included: {@code milvus.connections.<alias>.health.enabled=false} leaves that alias out (read with
 * the alias's other keys, when it is first used or probed); {@code milvus.health.enabled=false}
 * ({@code MILVUS_HEALTH_ENABLED=false}), read at every call, turns the check off: it probes nothing
 * and answers {@code UP} with the single entry {@code "milvus.health.enabled": false}.
 * The check stays registered, because whether a bean exists is decided when the application is
 * built, which in Quarkus is before any environment variable can be read. An invalid value of
 * either global key makes the check {@code DOWN} with an entry {@code configuration} that names the
 * key, the value and what is accepted.
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
        Config config = ConfigProvider.getConfig();
        Duration timeout;
        try {
            if (!ConnectionSettingsReader.healthEnabled(config)) {
                return response.up().withData(ConnectionSettingsReader.HEALTH_ENABLED, false).build();
            }
            timeout = ConnectionSettingsReader.healthTimeout(config);
        } catch (MilvusConfigurationException invalid) {
            return response.down().withData(CONFIGURATION_KEY, invalid.getMessage()).build();
        }
        ReadinessProbe current = probe();
        if (current == null) {
            return response.up().build(); // no Milvus extension in this application: nothing to probe
        }
        boolean up = true;
        for (AliasHealth health : current.probe(timeout)) {
            response.withData(health.alias(), health.describe());
            up &= health.up();
        }
        return response.status(up).build();
    }

    private synchronized ReadinessProbe probe() {
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
