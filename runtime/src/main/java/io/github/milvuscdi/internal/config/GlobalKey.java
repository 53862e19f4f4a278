package io.github.milvuscdi.internal.config;

import static io.github.milvuscdi.internal.config.KeyDefault.value;
import static io.github.milvuscdi.internal.config.KeyType.BOOLEAN;
import static io.github.milvuscdi.internal.config.KeyType.DURATION;

import java.util.List;

/**
 * The one table of the global keys, {@code milvus.*} outside {@code milvus.connections.}: as {@link ConnectionKey},
 * each key's full name, type, default and one-sentence meaning, declared here and nowhere else (a new key also
 * joins {@link #values()});
 * {@link MilvusConfiguration} reads them and takes their defaults from here, and docs/configuration.md's table of
 * global keys and the Quarkus mappings ({@code MilvusHealthConfig}, {@code MilvusTelemetryConfig}) are checked
 * against it by tests.
 */
public final class GlobalKey {

    public static final KeyDeclaration HEALTH_ENABLED = new KeyDeclaration(
            "milvus.health.enabled",
            BOOLEAN,
            value("true"),
            "`false` turns the readiness check off at run time: it probes nothing and answers `UP`"
                    + " ([readiness](readiness.md))");

    public static final KeyDeclaration HEALTH_TIMEOUT = new KeyDeclaration(
            "milvus.health.timeout",
            DURATION,
            value("2s"),
            "bound on each alias's readiness probe, a positive duration");

    public static final KeyDeclaration TELEMETRY_ENABLED = new KeyDeclaration(
            "milvus.telemetry.enabled",
            BOOLEAN,
            value("true"),
            "`false` turns traces and metrics off for every alias that does not turn them on itself"
                    + " ([telemetry](telemetry.md))");

    private GlobalKey() {}

    /** @return every global key, in the order of the documentation */
    public static List<KeyDeclaration> values() {
        return List.of(HEALTH_ENABLED, HEALTH_TIMEOUT, TELEMETRY_ENABLED);
    }
}
