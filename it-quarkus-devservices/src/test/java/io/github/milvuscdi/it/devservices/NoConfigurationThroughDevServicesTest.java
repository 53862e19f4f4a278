package io.github.milvuscdi.it.devservices;

import static io.restassured.RestAssured.given;
import static io.restassured.RestAssured.when;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/**
 * An application with no Milvus configuration in the test profile (its only keys are {@code %prod.}) and
 * no test resource: each alias it injects gets its
 * own milvus-lite from the Dev Services, and works.
 */
@QuarkusTest
class NoConfigurationThroughDevServicesTest {

    @Test
    void bothAliasesWriteAndSearchEachOnItsOwnServer() {
        given().put("/vectors/search/found").then().statusCode(204);
        given().queryParam("near", 3)
                .post("/vectors/search/found/nearest")
                .then()
                .statusCode(200)
                .body(equalTo("3"));
        when().get("/vectors/search/found").then().statusCode(200).body(equalTo("true"));
        when().get("/vectors/default/found").then().statusCode(200).body(equalTo("false"));

        given().put("/vectors/default/current").then().statusCode(204);
        given().queryParam("near", 2)
                .post("/vectors/default/current/nearest")
                .then()
                .statusCode(200)
                .body(equalTo("2"));
        when().get("/vectors/search/current").then().statusCode(200).body(equalTo("false"));
    }

    @Test
    void readinessListsBothAliasesUpOnTheirDevServices() {
        when().get("/q/health/ready")
                .then()
                .statusCode(200)
                .body("checks.find { it.name == 'milvus' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'milvus' }.data.default", matchesPattern("UP 127\\.0\\.0\\.1:\\d+ .*"))
                .body("checks.find { it.name == 'milvus' }.data.search", matchesPattern("UP 127\\.0\\.0\\.1:\\d+ .*"))
                .body("checks.find { it.name == 'milvus-devservices' }.status", equalTo("UP"))
                .body(
                        "checks.find { it.name == 'milvus-devservices' }.data.default",
                        startsWith("milvus-lite http://127.0.0.1:"))
                .body(
                        "checks.find { it.name == 'milvus-devservices' }.data.search",
                        startsWith("milvus-lite http://127.0.0.1:"))
                .body(
                        "checks.find { it.name == 'milvus-devservices' }.data.search",
                        not(equalTo(when().get("/q/health/ready")
                                .jsonPath()
                                .getString("checks.find { it.name == 'milvus-devservices' }.data.default"))));
    }
}
