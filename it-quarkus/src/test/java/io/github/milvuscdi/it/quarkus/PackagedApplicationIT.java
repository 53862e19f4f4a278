package io.github.milvuscdi.it.quarkus;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.milvuscdi.harness.ReadinessReport;
import io.github.milvuscdi.testing.MilvusLiteExtension;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The packaged application run with {@code java -jar} and configured only by environment variables:
 * the URIs in {@code application.properties} point where no server runs, so every answer proves
 * that {@code MILVUS_CONNECTIONS_DEFAULT_URI} (and {@code ..._ARCHIVE_URI}), read at run time, won.
 * Then SIGTERM, and the application's log must show each client closed.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PackagedApplicationIT {

    @RegisterExtension
    static final MilvusLiteExtension DEFAULT = new MilvusLiteExtension("env-default");

    @RegisterExtension
    static final MilvusLiteExtension ARCHIVE = new MilvusLiteExtension("env-archive");

    private static PackagedApplication application;

    @BeforeAll
    static void startTheJar() throws Exception {
        application = PackagedApplication.start(
                "packaged-application",
                Map.of(
                        "MILVUS_CONNECTIONS_DEFAULT_URI", DEFAULT.server().uri(),
                        "MILVUS_CONNECTIONS_ARCHIVE_URI", ARCHIVE.server().uri()));
    }

    @AfterAll
    static void stopTheJar() {
        if (application != null) {
            application.close();
        }
    }

    @Test
    @Order(1)
    void theUriGivenOnlyAsAnEnvironmentVariableIsUsed() throws InterruptedException {
        String path = application.url() + "/notes/default/from_env";
        given().put(path).then().statusCode(201);
        given().contentType(ContentType.JSON)
                .body(List.of(
                        Map.of("id", 7, "text", "Water the tomatoes in the greenhouse"),
                        Map.of("id", 8, "text", "Renew the passport before the summer holidays")))
                .post(path)
                .then()
                .statusCode(200);
        Response found = given().contentType(ContentType.JSON)
                .body(Map.of("text", "travel documents", "limit", 1))
                .post(path + "/search");
        found.then().statusCode(200);
        assertThat(found.jsonPath().getLong("[0].id")).as(found.asString()).isEqualTo(8L);

        // The archive is used by the readiness check only: it too connects where the environment says.
        ReadinessReport ready = awaitReady();
        assertThat(ready.check("milvus").entry("default"))
                .startsWith("UP " + DEFAULT.server().address() + " ");
        assertThat(ready.check("milvus").entry("archive"))
                .startsWith("UP " + ARCHIVE.server().address() + " ");
        assertThat(ready.check("embedding-model").up()).as(ready.json()).isTrue();
        assertThat(application.log())
                .contains("Opened Milvus connection 'default' to "
                        + DEFAULT.server().address())
                .contains("Loaded the sentence-embedding model all-MiniLM-L6-v2 (384 dimensions) in ");
    }

    @Test
    @Order(2)
    void sigtermClosesEveryClient() throws InterruptedException {
        assertThat(application.log())
                .contains("Opened Milvus connection 'default' to "
                        + DEFAULT.server().address())
                .contains("Opened Milvus connection 'archive' to "
                        + ARCHIVE.server().address())
                .doesNotContain("Closed Milvus connection");

        application.stop();

        assertThat(application.log())
                .contains("Closed Milvus connection 'default' to "
                        + DEFAULT.server().address())
                .contains("Closed Milvus connection 'archive' to "
                        + ARCHIVE.server().address())
                .contains("stopped in");
    }

    private static ReadinessReport awaitReady() {
        return ReadinessReport.awaitStatus(
                () -> ReadinessReport.parse(
                        given().get(application.url() + "/q/health/ready").asString()),
                report -> report.status().equals("UP"),
                Duration.ofSeconds(60));
    }
}
