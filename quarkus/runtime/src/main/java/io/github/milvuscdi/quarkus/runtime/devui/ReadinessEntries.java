package io.github.milvuscdi.quarkus.runtime.devui;

import jakarta.enterprise.inject.spi.CDI;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * The entries of milvus-cdi's readiness check (the {@code @Readiness} check named {@value #CHECK}),
 * alias to entry; only loaded when MicroProfile Health is present. Found by its name, through the
 * Health API, so that nothing here depends on milvus-cdi's internal classes.
 */
final class ReadinessEntries {

    static final String CHECK = "milvus";

    private ReadinessEntries() {}

    static Map<String, String> read() {
        Map<String, String> entries = new LinkedHashMap<>();
        for (HealthCheck check : CDI.current().select(HealthCheck.class, Readiness.Literal.INSTANCE)) {
            HealthCheckResponse response = check.call();
            if (CHECK.equals(response.getName())) {
                response.getData()
                        .ifPresent(data -> data.forEach((alias, entry) -> entries.put(alias, String.valueOf(entry))));
            }
        }
        return entries;
    }
}
