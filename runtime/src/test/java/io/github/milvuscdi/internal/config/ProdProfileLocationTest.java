package io.github.milvuscdi.internal.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The advice of docs/quarkus.md for an injected alias with no location, read as SmallRye Config (Quarkus's
 * configuration) reads it: a {@code %prod.} key locates the alias for {@code mvn package} and the packaged
 * application (profile {@code prod}), leaves it unlocated in tests (profile {@code test}, where Dev Services serve
 * it), and the environment variable of the key overrides it where the application runs.
 */
class ProdProfileLocationTest {

    private static final Map<String, String> APPLICATION_PROPERTIES =
            Map.of("%prod.milvus.connections.reports.uri", "http://localhost:19530");

    @Test
    void theBuildAndThePackagedApplicationSeeTheProdKey() {
        MilvusConfiguration prod = read("prod", Map.of());
        assertThat(prod.problems()).isEmpty();
        assertThat(prod.settings("reports").orElseThrow().port()).isEqualTo(19530);
    }

    @Test
    void testsSeeNoLocationSoDevServicesServeTheAlias() {
        assertThat(read("test", Map.of()).problems())
                .singleElement()
                .asString()
                .startsWith("alias 'reports': no location is configured;");
    }

    @Test
    void theEnvironmentOverridesTheProdKeyWhereTheApplicationRuns() {
        MilvusConfiguration prod =
                read("prod", Map.of("MILVUS_CONNECTIONS_REPORTS_URI", "http://reports.internal:19531"));
        assertThat(prod.problems()).isEmpty();
        assertThat(prod.settings("reports").orElseThrow().host()).isEqualTo("reports.internal");
        assertThat(prod.settings("reports").orElseThrow().port()).isEqualTo(19531);
    }

    private static MilvusConfiguration read(String profile, Map<String, String> environment) {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withProfile(profile)
                .addDefaultInterceptors()
                .withSources(new PropertiesConfigSource(APPLICATION_PROPERTIES, "application.properties", 250))
                .withSources(new EnvConfigSource(environment, 300))
                .build();
        return MilvusConfiguration.read(config, Set.of("reports"), new ConnectionSettingsReader(name -> null));
    }
}
