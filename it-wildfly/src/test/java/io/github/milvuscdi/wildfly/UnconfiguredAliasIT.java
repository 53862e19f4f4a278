package io.github.milvuscdi.wildfly;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import io.github.milvuscdi.harness.ReadinessReport;
import io.github.milvuscdi.wildfly.unconfigured.ArchiveReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A WAR that injects an alias no configuration names fails to deploy, and WildFly's failure
 * carries our message naming the key to set. The failed deployment leaves nothing behind: a good
 * deployment after it is ready (issue 30: its readiness check stayed registered, {@code /health/ready}
 * answered 503 and logged WELD-000229 at every probe until {@code :reload}).
 */
@Order(3)
@ExtendWith(WildFlyRun.Extension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class UnconfiguredAliasIT {

    private static final String EXPECTED =
            "alias 'nowhere': no location is configured; set milvus.connections.nowhere.uri";

    @Test
    @Order(1)
    void failsTheDeploymentNamingTheKey(WildFlyRun run) throws Exception {
        Path war = Wars.build("nowhere.war", List.of(ArchiveReader.class));
        JsonObject answer;
        try {
            answer = run.wildfly.management().deploy("nowhere.war", war);
        } finally {
            run.wildfly.management().undeploy("nowhere.war");
        }
        assertThat(answer.get("outcome").getAsString()).as("%s", answer).isEqualTo("failed");
        String failure = answer.get("failure-description").toString();
        assertThat(failure)
                .contains("nowhere.war")
                .contains("Invalid Milvus configuration")
                .contains(EXPECTED);
        assertThat(failure).doesNotContain(run.secrets());
        assertThat(run.wildfly.serverLogText()).contains(EXPECTED);
    }

    @Test
    @Order(2)
    void aGoodDeploymentAfterTheFailedOneIsReady(WildFlyRun run) throws Exception {
        Path war = Wars.build("mistake.war", List.of(ArchiveReader.class));
        try {
            assertThat(run.wildfly
                            .management()
                            .deploy("mistake.war", war)
                            .get("outcome")
                            .getAsString())
                    .isEqualTo("failed");
        } finally {
            run.wildfly.management().undeploy("mistake.war");
        }
        run.deployNotes();
        try {
            ReadinessReport ready = ReadinessReport.awaitStatus(
                    () -> ReadinessReport.parse(get(run.wildfly.managementBase() + "health/ready")),
                    report -> "UP".equals(report.status()),
                    Duration.ofSeconds(60));
            assertThat(ready.checks().keySet())
                    .as("checks of the deployments (none of the failed one)")
                    .filteredOn(name -> name.contains("ilvus"))
                    .containsExactly("milvus");
            assertThat(Http.get(run.wildfly.managementBase() + "health/ready").status())
                    .isEqualTo(200);
        } finally {
            run.wildfly.management().undeploy(WildFlyRun.NOTES);
        }
        assertThat(run.wildfly.serverLogText())
                .as("a probe reached a check of the failed deployment")
                .doesNotContain("WELD-000229")
                .doesNotContain("mistake.war shutdown");
    }

    private static String get(String uri) {
        try {
            return Http.get(uri).body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
