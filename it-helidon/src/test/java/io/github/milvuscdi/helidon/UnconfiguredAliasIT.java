package io.github.milvuscdi.helidon;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.milvuscdi.harness.ReadinessReport;
import io.github.milvuscdi.it.notes.checks.UnconfiguredAliasResource;
import io.github.milvuscdi.launcher.MilvusLiteServer;
import io.github.milvuscdi.testing.Await;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The notes application with one more resource that injects an alias no configuration names: Helidon
 * must refuse to start, and its log must say which key to set. The corrected application started
 * after it, from the same folder, is ready and its log has no trace of the failed one's readiness
 * check (issue 30: on WildFly that check outlived its deployment).
 */
class UnconfiguredAliasIT {

    private static final String EXPECTED =
            "Invalid Milvus configuration: alias 'unconfigured': no location is configured;"
                    + " set milvus.connections.unconfigured.uri (e.g. http://localhost:19530),"
                    + " or milvus.connections.unconfigured.address (host:port),"
                    + " or milvus.connections.unconfigured.host and milvus.connections.unconfigured.port";

    private static final Path RUN =
            Paths.get(System.getProperty("helidon.run", "target/helidon-run")).resolve("unconfigured");

    @Test
    void helidonRefusesToStartAndItsLogNamesTheKeyToSetThenTheCorrectedApplicationIsReady() {
        try (HelidonApp helidon = HelidonApp.start(RUN, null, List.of(UnconfiguredAliasResource.class), Map.of())) {
            int exit = helidon.awaitExit(Duration.ofMinutes(2));
            String log = helidon.log();
            assertThat(exit).as("exit code; %s", helidon.tail()).isNotZero();
            assertThat(log).as(helidon.tail()).contains(EXPECTED).doesNotContain("Server started on");
        }
        try (MilvusLiteServer server = MilvusLiteServer.start("helidon-corrected");
                HelidonApp helidon = HelidonApp.start(
                        RUN,
                        List.of(
                                "milvus.connections.default.uri=" + server.uri(),
                                "milvus.connections.default.keep-alive-without-calls=false",
                                "milvus.connections.archive.uri=" + server.uri(),
                                "milvus.connections.archive.keep-alive-without-calls=false"),
                        List.of(),
                        Map.of())) {
            helidon.awaitStarted(Duration.ofMinutes(3));
            HttpResponse<String> ready = Await.until(
                    () -> helidon.get("/health/ready"),
                    response -> response.statusCode() == 200,
                    Duration.ofSeconds(120),
                    last -> "/health/ready answered " + last.statusCode() + " " + last.body());
            assertThat(ReadinessReport.parse(ready.body()).checks().keySet())
                    .filteredOn(name -> name.contains("ilvus"))
                    .containsExactly("milvus");
            assertThat(helidon.log()).doesNotContain("WELD-000229").doesNotContain(EXPECTED);
        }
    }
}
