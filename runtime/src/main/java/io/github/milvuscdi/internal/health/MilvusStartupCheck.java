package io.github.milvuscdi.internal.health;

import io.github.milvuscdi.internal.config.ConnectionSettings;
import io.github.milvuscdi.internal.config.MilvusConfiguration;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;
import org.eclipse.microprofile.health.Startup;

/**
 * The MicroProfile Health startup check named {@value #NAME}, for Kubernetes' {@code startupProbe}:
 * {@code UP} once every alias that must be ready when the application starts is up: every alias with
 * {@code connect-on-startup=true} and every alias that lists {@code health.collections} (each of them
 * loaded). What users read is docs/readiness.md ("Startup").
 *
 * <p>Contract: entries read as the readiness check's, for those aliases only, probed through that
 * check's own probe within the same bound ({@code milvus.health.timeout}). Once they all were up, it
 * answers {@code UP} from then on without probing; with no such alias it is {@code UP} at once;
 * {@code milvus.health.enabled=false} turns it off as it does readiness.
 *
 * <p>Thread-safe.
 */
@Startup
@ApplicationScoped
public class MilvusStartupCheck implements HealthCheck {

    /** The name of the check in the health report. */
    public static final String NAME = "milvus-startup";

    @Inject
    @Readiness
    MilvusReadinessCheck readiness;

    private volatile boolean started;

    /**
     * Probes the aliases that must be ready at startup, until they all were.
     *
     * @return {@code UP} once they all were up; one data entry per such alias while they were not
     */
    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named(NAME);
        ReadinessProbe current = readiness.probe();
        if (started || current == null) {
            return response.up().build();
        }
        MilvusConfiguration configuration = current.configuration();
        HealthCheckResponse unprobed = MilvusReadinessCheck.unprobed(response, configuration);
        if (unprobed != null) {
            return unprobed;
        }
        boolean up = true;
        for (AliasHealth health : current.probe(configuration.healthTimeout())) {
            if (requiredAtStartup(health.settings())) {
                response.withData(health.alias(), health.describe());
                up &= health.up();
            }
        }
        started = up;
        return response.status(up).build();
    }

    /** An alias the application needs before it can serve: connected at startup, or with collections listed. */
    private static boolean requiredAtStartup(ConnectionSettings settings) {
        return settings != null
                && (settings.connectOnStartup() || settings.collections().any());
    }

    @Override
    public String toString() {
        return "MilvusStartupCheck[" + NAME + "]";
    }
}
