package io.github.milvuscdi.quarkus.runtime;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.TreeMap;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * The readiness check named {@value #NAME}, registered in dev mode and in tests when Dev Services
 * start milvus-lite: one entry per such alias, the server's URI, or why it could not start (such
 * as Python missing, naming what to install). {@code DOWN} when any could not start.
 *
 * <p>The application starts either way; this check is where a missing server shows, beside the
 * {@code milvus} check's entry for the alias.
 */
@Readiness
@ApplicationScoped
public class DevServicesReadinessCheck implements HealthCheck {

    /** The name of the check in the health report. */
    public static final String NAME = "milvus-devservices";

    /**
     * Prefix of the keys that Dev Services set for the run, one per alias:
     * {@code milvus-devservices.<alias>=milvus-lite http://127.0.0.1:<port>} or
     * {@code not started: <reason>}.
     */
    public static final String STATUS_PREFIX = "milvus-devservices.";

    /** The start of a status whose server runs. */
    public static final String RUNNING = "milvus-lite ";

    @Override
    public HealthCheckResponse call() {
        Map<String, String> statuses = statuses(ConfigProvider.getConfig());
        HealthCheckResponseBuilder response = HealthCheckResponse.named(NAME).up();
        statuses.forEach((alias, status) -> {
            response.withData(alias, status);
            if (!status.startsWith(RUNNING)) {
                response.down();
            }
        });
        return response.build();
    }

    /** @return each Dev Service alias and its status, sorted by alias */
    static Map<String, String> statuses(Config config) {
        Map<String, String> statuses = new TreeMap<>();
        for (String name : config.getPropertyNames()) {
            if (name.startsWith(STATUS_PREFIX)) {
                config.getOptionalValue(name, String.class)
                        .ifPresent(status -> statuses.put(name.substring(STATUS_PREFIX.length()), status));
            }
        }
        return statuses;
    }
}
