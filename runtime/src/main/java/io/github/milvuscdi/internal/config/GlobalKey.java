package io.github.milvuscdi.internal.config;

import static io.github.milvuscdi.internal.config.KeyDefault.value;
import static io.github.milvuscdi.internal.config.KeyType.BOOLEAN;
import static io.github.milvuscdi.internal.config.KeyType.DURATION;

import java.time.Duration;

/**
 * The one table of the global keys, {@code milvus.*} outside {@code milvus.connections.}: as {@link ConnectionKey},
 * each key's full name, type, default and one-sentence meaning, declared here and nowhere else;
 * {@link MilvusConfiguration} reads them and takes their defaults from here, and docs/configuration.md's table of
 * global keys and the Quarkus mappings ({@code MilvusHealthConfig}, {@code MilvusTelemetryConfig}) are checked
 * against it by tests.
 */
public enum GlobalKey {
    HEALTH_ENABLED(
            "milvus.health.enabled",
            BOOLEAN,
            value("true"),
            "`false` turns the readiness check off at run time: it probes nothing and answers `UP`"
                    + " ([readiness](readiness.md))"),
    HEALTH_TIMEOUT(
            "milvus.health.timeout",
            DURATION,
            value("2s"),
            "bound on each alias's readiness probe, a positive duration"),
    TELEMETRY_ENABLED(
            "milvus.telemetry.enabled",
            BOOLEAN,
            value("true"),
            "`false` turns traces and metrics off for every alias that does not turn them on itself"
                    + " ([telemetry](telemetry.md))");

    private final String key;
    private final KeyType type;
    private final KeyDefault defaultValue;
    private final String meaning;

    GlobalKey(String key, KeyType type, KeyDefault defaultValue, String meaning) {
        this.key = key;
        this.type = type;
        this.defaultValue = defaultValue;
        this.meaning = meaning;
    }

    /** @return the full property name, e.g. {@code "milvus.health.timeout"} */
    public String key() {
        return key;
    }

    /** @return what the key holds */
    public KeyType type() {
        return type;
    }

    /** @return the default the reader applies when the key is unset */
    public KeyDefault defaultValue() {
        return defaultValue;
    }

    /** @return one sentence of Markdown, the meaning column of docs/configuration.md */
    public String meaning() {
        return meaning;
    }

    boolean defaultBoolean() {
        return Boolean.parseBoolean(defaultValue.applied(key, type, BOOLEAN));
    }

    Duration defaultDuration() {
        return Durations.parse(defaultValue.applied(key, type, DURATION), true).duration();
    }
}
