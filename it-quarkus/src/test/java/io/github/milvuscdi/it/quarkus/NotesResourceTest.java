package io.github.milvuscdi.it.quarkus;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.github.milvuscdi.launcher.MilvusLiteServer;
import io.github.milvuscdi.testing.VectorRoundTrip;
import io.milvus.v2.client.ConnectConfig;
import io.milvus.v2.client.MilvusClientV2;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The notes API on both aliases, each on its own milvus-lite: notes sent in words come back out of a
 * search in words, and land on that alias's server and not on the other; requests without words are
 * refused saying what to send. How well the search finds meaning: {@link SemanticSearchTest}.
 */
@QuarkusTest
@WithTestResource(MilvusLiteResource.class)
class NotesResourceTest {

    @MilvusLite("default")
    MilvusLiteServer defaultServer;

    @MilvusLite("archive")
    MilvusLiteServer archiveServer;

    private static final List<Map<String, Object>> NOTES = List.of(
            note(1, "buy oat milk"),
            note(2, "call the plumber about the leaking sink"),
            note(3, "draft the quarterly report"),
            note(4, "book train tickets to Lyon"));

    @ParameterizedTest
    @ValueSource(strings = {"default", "archive"})
    void notesRoundTripThroughTheAlias(String alias) {
        String collection = "round_trip_" + alias;
        String path = "/notes/" + alias + "/" + collection;

        given().put(path).then().statusCode(201).body("created", equalTo(true)).body("dimension", equalTo(384));
        given().put(path).then().statusCode(409).body("created", equalTo(false));
        given().contentType(ContentType.JSON)
                .body(NOTES)
                .post(path)
                .then()
                .statusCode(200)
                .body("inserted", equalTo(4));

        Response found = given().contentType(ContentType.JSON)
                .body(Map.of("text", "water dripping under the kitchen sink", "limit", 2))
                .post(path + "/search");
        found.then().statusCode(200);
        assertThat(found.jsonPath().getList("id", Long.class))
                .hasSize(2)
                .first()
                .isEqualTo(2L);
        assertThat(found.jsonPath().getString("[0].text")).isEqualTo("call the plumber about the leaking sink");
        assertThat(found.jsonPath().getFloat("[0].score"))
                .isGreaterThan(found.jsonPath().getFloat("[1].score"));

        MilvusLiteServer own = "archive".equals(alias) ? archiveServer : defaultServer;
        MilvusLiteServer other = "archive".equals(alias) ? defaultServer : archiveServer;
        assertThat(existsOn(own, collection)).as("%s on %s", collection, own).isTrue();
        assertThat(existsOn(other, collection))
                .as("%s on %s", collection, other)
                .isFalse();
    }

    @Test
    void anAliasTheApplicationDoesNotHaveIsNotFound() {
        given().put("/notes/elsewhere/anything").then().statusCode(404);
    }

    @Test
    void whatMilvusRefusesIsAnsweredWithItsMessage() {
        given().contentType(ContentType.JSON)
                .body(Map.of("text", "anything"))
                .post("/notes/default/no_such_collection/search")
                .then()
                .statusCode(500)
                .body("error", containsString("no_such_collection"));
    }

    @Test
    void notesAndQueriesWithoutWordsAreRefusedSayingWhatToSend() {
        given().contentType(ContentType.JSON)
                .body(List.of())
                .post("/notes/default/anything")
                .then()
                .statusCode(400)
                .body("error", equalTo("no notes given; send [{\"id\": 1, \"text\": \"…\"}, …]"));
        given().contentType(ContentType.JSON)
                .body(List.of(Map.of("id", 5, "text", " ")))
                .post("/notes/default/anything")
                .then()
                .statusCode(400)
                .body("error", equalTo("note 5 has no text"));
        given().contentType(ContentType.JSON)
                .body(Map.of("limit", 2))
                .post("/notes/default/anything/search")
                .then()
                .statusCode(400)
                .body("error", equalTo("no query given; send {\"text\": \"a trip by rail\", \"limit\": 3}"));
        given().contentType(ContentType.JSON)
                .body(Map.of("text", "a trip by rail", "limit", 0))
                .post("/notes/default/anything/search")
                .then()
                .statusCode(400)
                .body("error", equalTo("limit 0 is out of range; expected 1 to 100"));
    }

    private static boolean existsOn(MilvusLiteServer server, String collection) {
        MilvusClientV2 client = new MilvusClientV2(ConnectConfig.builder()
                .uri(server.uri())
                .keepAliveWithoutCalls(false)
                .rpcDeadlineMs(10_000)
                .build());
        try {
            return VectorRoundTrip.exists(client, collection);
        } finally {
            try {
                client.close(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static Map<String, Object> note(long id, String text) {
        return Map.of("id", id, "text", text);
    }
}
