package io.github.milvuscdi.quarkus.runtime.devui;

import io.github.milvuscdi.health.MilvusReadinessCheck;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.spi.CDI;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** The readiness check's entries, alias to entry; only loaded when MicroProfile Health is present. */
final class ReadinessEntries {

    private ReadinessEntries() {
    }

    static Map<String, String> read() {
        // the check's qualifier is @Readiness, not @Default
        Instance<MilvusReadinessCheck> check = CDI.current().select(MilvusReadinessCheck.class, Readiness.Literal.INSTANCE);
        if (!check.isResolvable()) {
            return Map.of();
        }
        HealthCheckResponse response = check.get().call();
        Map<String, String> entries = new LinkedHashMap<>();
        response.getData().ifPresent(data -> data.forEach((alias, entry) -> entries.put(alias, String.valueOf(entry))));
        return entries;
    }
}
