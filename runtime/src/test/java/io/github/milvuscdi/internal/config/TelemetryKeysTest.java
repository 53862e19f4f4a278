package io.github.milvuscdi.internal.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The telemetry switches: read, defaulted, and their bad values reported like every other key's. */
class TelemetryKeysTest {

    private static MilvusConfiguration read(Map<String, String> properties) {
        return MilvusConfiguration.read(
                new SmallRyeConfigBuilder()
                        .withSources(new PropertiesConfigSource(properties, "test", 100))
                        .build(),
                Set.of(),
                new ConnectionSettingsReader(name -> null));
    }

    @Test
    void nothingSetLeavesTheAliasToTheGlobalSwitchWhichIsOnAndRecordsNoFilters() {
        MilvusConfiguration configuration = read(Map.of("milvus.connections.a.host", "h"));
        assertThat(configuration.telemetryEnabled()).isTrue();
        ConnectionSettings settings = configuration.settings("a").orElseThrow();
        assertThat(settings.telemetryEnabled()).isNull();
        assertThat(settings.recordFilters()).isFalse();
    }

    @Test
    void theAliasAndGlobalKeysAreRead() {
        MilvusConfiguration configuration = read(Map.of(
                "milvus.telemetry.enabled",
                "false",
                "milvus.connections.a.host",
                "h",
                "milvus.connections.a.telemetry.enabled",
                "TRUE",
                "milvus.connections.a.telemetry.record-filters",
                "true"));
        assertThat(configuration.problems()).isEmpty();
        assertThat(configuration.telemetryEnabled()).isFalse();
        ConnectionSettings settings = configuration.settings("a").orElseThrow();
        assertThat(settings.telemetryEnabled()).isTrue();
        assertThat(settings.recordFilters()).isTrue();
    }

    @Test
    void badValuesNameTheKeyTheValueAndWhatIsAccepted() {
        MilvusConfiguration configuration = read(Map.of(
                "milvus.telemetry.enabled",
                "sometimes",
                "milvus.connections.a.host",
                "h",
                "milvus.connections.a.telemetry.enabled",
                "yes",
                "milvus.connections.a.telemetry.record-filters",
                "1"));
        assertThat(configuration.problems())
                .containsExactlyInAnyOrder(
                        "alias 'a': milvus.connections.a.telemetry.enabled='yes' is not a boolean; expected true or false",
                        "alias 'a': milvus.connections.a.telemetry.record-filters='1' is not a boolean; expected true or false",
                        "milvus.telemetry.enabled='sometimes' is not a boolean; expected true or false");
    }
}
