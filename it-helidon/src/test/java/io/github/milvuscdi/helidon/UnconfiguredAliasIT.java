package io.github.milvuscdi.helidon;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.milvuscdi.it.notes.checks.UnconfiguredAliasResource;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The notes application with one more resource that injects an alias no configuration names: Helidon
 * must refuse to start, and its log must say which key to set.
 */
class UnconfiguredAliasIT {

    private static final String EXPECTED =
            "Invalid Milvus configuration: alias 'unconfigured': no location is configured;"
                    + " set milvus.connections.unconfigured.uri (e.g. http://localhost:19530),"
                    + " or milvus.connections.unconfigured.address (host:port),"
                    + " or milvus.connections.unconfigured.host and milvus.connections.unconfigured.port";

    @Test
    void helidonRefusesToStartAndItsLogNamesTheKeyToSet() {
        try (HelidonApp helidon = HelidonApp.start(
                Paths.get(System.getProperty("helidon.run", "target/helidon-run"))
                        .resolve("unconfigured"),
                null,
                List.of(UnconfiguredAliasResource.class),
                Map.of())) {
            int exit = helidon.awaitExit(Duration.ofMinutes(2));
            String log = helidon.log();
            assertThat(exit).as("exit code; %s", helidon.tail()).isNotZero();
            assertThat(log).as(helidon.tail()).contains(EXPECTED).doesNotContain("Server started on");
        }
    }
}
