package io.github.milvuscdi.quarkus.runtime.devui;

import io.github.milvuscdi.MilvusConnections;
import io.github.milvuscdi.quarkus.runtime.DevServicesReadinessCheck;
import jakarta.enterprise.inject.spi.CDI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * What the Dev UI card shows (dev mode only): one row per alias with its address, its Dev Service,
 * its entry in the readiness check {@code milvus} and the load state of the collections it lists. Never a password or token: addresses come
 * from {@link MilvusConnections#getConnectionAddr}, entries from the readiness check.
 *
 * <p>Looks its collaborators up on each call, so it also works when created outside the container.
 */
public class MilvusDevUIService {

    private static final String HEALTH_API = "org/eclipse/microprofile/health/HealthCheck.class";

    /**
     * Lists the application's aliases.
     *
     * @return per alias, sorted: {@code alias}, {@code address}, {@code devService} (the milvus-lite
     *     started for it, why none could start, or {@code -}), {@code readiness} (the readiness
     *     entry, or why there is none), {@code collections} (those listed in {@code health.collections},
     *     each with its load state: {@code notes loaded, docs does not exist}; {@code -} when none)
     */
    public List<Map<String, String>> getAliases() {
        MilvusConnections connections =
                CDI.current().select(MilvusConnections.class).get();
        Map<String, String> readiness = readiness();
        Map<String, String> devServices = devServices();
        List<Map<String, String>> rows = new ArrayList<>();
        for (String alias : connections.listConnections().keySet()) {
            Map<String, String> row = new LinkedHashMap<>();
            row.put("alias", alias);
            row.put("address", connections.getConnectionAddr(alias).getOrDefault("address", "-"));
            row.put("devService", devServices.getOrDefault(alias, "-"));
            String entry = readiness == null ? null : readiness.get(alias);
            row.put(
                    "readiness",
                    readiness == null
                            ? "no readiness check: add io.quarkus:quarkus-smallrye-health"
                            : entry == null ? "not in the readiness check" : entry);
            row.put("collections", CollectionsColumn.of(ConfigProvider.getConfig(), alias, entry));
            rows.add(row);
        }
        return rows;
    }

    private static Map<String, String> devServices() {
        Map<String, String> statuses = new LinkedHashMap<>();
        var config = ConfigProvider.getConfig();
        for (String name : config.getPropertyNames()) {
            if (name.startsWith(DevServicesReadinessCheck.STATUS_PREFIX)) {
                config.getOptionalValue(name, String.class)
                        .ifPresent(status ->
                                statuses.put(name.substring(DevServicesReadinessCheck.STATUS_PREFIX.length()), status));
            }
        }
        return statuses;
    }

    /** @return alias to readiness entry; {@code null} when the application has no MicroProfile Health */
    private static Map<String, String> readiness() {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        if (loader == null || loader.getResource(HEALTH_API) == null) {
            return null;
        }
        // a separate class, loaded only when MicroProfile Health is there
        return ReadinessEntries.read();
    }
}
