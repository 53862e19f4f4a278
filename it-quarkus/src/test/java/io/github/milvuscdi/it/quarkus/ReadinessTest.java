package io.github.milvuscdi.it.quarkus;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.milvuscdi.harness.ReadinessReport;
import io.github.milvuscdi.launcher.MilvusLiteServer;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * {@code /q/health/ready} follows the servers: both aliases up; the archive's server stopped turns
 * its entry, and the check, down while {@code default} stays up; started again, it comes back up.
 */
@QuarkusTest
@WithTestResource(MilvusLiteResource.class)
class ReadinessTest {

    private static final Duration PATIENCE = Duration.ofSeconds(60);

    @MilvusLite("default")
    MilvusLiteServer defaultServer;

    @MilvusLite("archive")
    MilvusLiteServer archiveServer;

    @Test
    void readinessFollowsEachAliasServer() {
        Readiness up = awaitReadiness(200, "UP", "UP", "both aliases up");
        assertThat(up.entry("default")).startsWith("UP " + defaultServer.address() + " db=default version=");
        assertThat(up.entry("archive")).startsWith("UP " + archiveServer.address() + " db=default version=");

        archiveServer.stop();
        try {
            Readiness down = awaitReadiness(503, "UP", "DOWN", "archive down after its server stopped");
            assertThat(down.check()).isEqualTo("DOWN");
            assertThat(down.entry("archive"))
                    .startsWith("DOWN " + archiveServer.address())
                    .contains(" reason=");
            assertThat(down.entry("default")).startsWith("UP " + defaultServer.address());
        } finally {
            archiveServer.restart();
        }

        Readiness back = awaitReadiness(200, "UP", "UP", "archive up again after its server restarted");
        assertThat(back.entry("archive")).startsWith("UP " + archiveServer.address());
    }

    /** Polls the readiness endpoint until it answers with the status and the two entries' states. */
    private static Readiness awaitReadiness(int status, String defaultState, String archiveState, String what) {
        try {
            return ReadinessReport.awaitStatus(
                    Readiness::get,
                    last -> last.status() == status
                            && last.entry("default").startsWith(defaultState + " ")
                            && last.entry("archive").startsWith(archiveState + " "),
                    PATIENCE);
        } catch (AssertionError late) {
            throw new AssertionError(
                    "Waited " + PATIENCE.toSeconds() + " s for " + what + " (HTTP " + status + ", default "
                            + defaultState + ", archive " + archiveState + "): " + late.getMessage(),
                    late);
        }
    }

    /** One answer of {@code GET /q/health/ready}. */
    private record Readiness(int status, String body) {

        static Readiness get() {
            Response response = given().get("/q/health/ready");
            return new Readiness(response.statusCode(), response.asString());
        }

        /** The state of the check named {@code milvus}. */
        String check() {
            return ReadinessReport.parse(body).check("milvus").status();
        }

        /** The {@code milvus} check's entry for an alias; empty when absent. */
        String entry(String alias) {
            return ReadinessReport.parse(body).check("milvus").entry(alias);
        }

        @Override
        public String toString() {
            return "HTTP " + status + " " + body;
        }
    }
}
