package io.github.milvuscdi.it.quarkus;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.milvuscdi.harness.ReadinessReport;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

/**
 * Quarkus serves the library's {@code @Startup} check at {@code /q/health/started}: this application's
 * aliases neither connect on startup nor list collections, so it is {@code UP} at once.
 */
@QuarkusTest
@WithTestResource(MilvusLiteResource.class)
class StartedCheckTest {

    @Test
    void theMilvusStartupCheckIsServedAtQHealthStarted() {
        Response response = given().get("/q/health/started");

        assertThat(response.statusCode()).as(response.asString()).isEqualTo(200);
        assertThat(ReadinessReport.parse(response.asString())
                        .check("milvus-startup")
                        .status())
                .isEqualTo("UP");
    }
}
