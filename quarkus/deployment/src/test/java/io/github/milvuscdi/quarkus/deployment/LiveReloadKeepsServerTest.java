package io.github.milvuscdi.quarkus.deployment;

import static io.restassured.RestAssured.given;
import static io.restassured.RestAssured.when;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.QuarkusDevModeTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** In dev mode a live reload keeps the alias's milvus-lite: same URI, and what was written is still there. */
class LiveReloadKeepsServerTest {

    @RegisterExtension
    static final QuarkusDevModeTest DEV =
            new QuarkusDevModeTest().withApplicationRoot(jar -> jar.addClass(NotesEndpoint.class));

    @Test
    void theServerAndItsDataSurviveALiveReload() {
        String before =
                when().get("/notes/server").then().statusCode(200).extract().asString();
        assertThat(before).startsWith("v1 http://127.0.0.1:");
        given().put("/notes/kept").then().statusCode(204);
        assertThat(when().get("/notes/kept").then().statusCode(200).extract().asString())
                .isEqualTo("true");

        DEV.modifySourceFile(NotesEndpoint.class, source -> source.replace("\"v1 \"", "\"v2 \""));

        String after =
                when().get("/notes/server").then().statusCode(200).extract().asString();
        assertThat(after)
                .as("the reloaded application answers, on the same server")
                .isEqualTo(before.replace("v1 ", "v2 "));
        assertThat(when().get("/notes/kept").then().statusCode(200).extract().asString())
                .as("the collection written before the reload")
                .isEqualTo("true");
        assertThat(when().get("/notes/never-written")
                        .then()
                        .statusCode(200)
                        .extract()
                        .asString())
                .isEqualTo("false");
    }
}
