package io.github.milvuscdi.it.quarkus;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.github.milvuscdi.testing.MilvusLiteServer;
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
 * The notes API on both aliases, each on its own milvus-lite: what goes in through the application
 * comes back out of a search, and lands on that alias's server and not on the other.
 */
@QuarkusTest
@WithTestResource(MilvusLiteResource.class)
class NotesResourceTest {

    @MilvusLite("default")
    MilvusLiteServer defaultServer;

    @MilvusLite("archive")
    MilvusLiteServer archiveServer;

    private static final List<Map<String, Object>> NOTES = List.of(
            note(1, "buy oat milk", 1, 0, 0, 0),
            note(2, "call the plumber about the sink", 0, 1, 0, 0),
            note(3, "draft the quarterly report", 0, 0, 1, 0),
            note(4, "book train tickets to Lyon", 0, 0, 0, 1));

    @ParameterizedTest
    @ValueSource(strings = {"default", "archive"})
    void notesRoundTripThroughTheAlias(String alias) {
        String collection = "round_trip_" + alias;
        String path = "/notes/" + alias + "/" + collection;

        given().contentType(ContentType.JSON).body(Map.of("dimension", 4)).put(path)
                .then().statusCode(201).body("created", equalTo(true));
        given().contentType(ContentType.JSON).body(Map.of("dimension", 4)).put(path)
                .then().statusCode(409).body("created", equalTo(false));
        given().contentType(ContentType.JSON).body(NOTES).post(path)
                .then().statusCode(200).body("inserted", equalTo(4));

        Response found = given().contentType(ContentType.JSON)
                .body(Map.of("vector", List.of(0.1, 0.2, 0.9, 0.1), "limit", 2)).post(path + "/search");
        found.then().statusCode(200);
        assertThat(found.jsonPath().getList("id", Long.class)).hasSize(2).first().isEqualTo(3L);
        assertThat(found.jsonPath().getString("[0].text")).isEqualTo("draft the quarterly report");
        assertThat(found.jsonPath().getFloat("[0].score")).isGreaterThan(found.jsonPath().getFloat("[1].score"));

        MilvusLiteServer own = "archive".equals(alias) ? archiveServer : defaultServer;
        MilvusLiteServer other = "archive".equals(alias) ? defaultServer : archiveServer;
        assertThat(existsOn(own, collection)).as("%s on %s", collection, own).isTrue();
        assertThat(existsOn(other, collection)).as("%s on %s", collection, other).isFalse();
    }

    @Test
    void anAliasTheApplicationDoesNotHaveIsNotFound() {
        given().contentType(ContentType.JSON).body(Map.of("dimension", 4)).put("/notes/elsewhere/anything")
                .then().statusCode(404);
    }

    @Test
    void whatMilvusRefusesIsAnsweredWithItsMessage() {
        given().contentType(ContentType.JSON).body(Map.of("vector", List.of(1, 0, 0, 0)))
                .post("/notes/default/no_such_collection/search")
                .then().statusCode(500).body("error", containsString("no_such_collection"));
    }

    private static boolean existsOn(MilvusLiteServer server, String collection) {
        MilvusClientV2 client = new MilvusClientV2(ConnectConfig.builder().uri(server.uri())
                .keepAliveWithoutCalls(false).rpcDeadlineMs(10_000).build());
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

    private static Map<String, Object> note(long id, String text, double... vector) {
        return Map.of("id", id, "text", text, "vector", vector);
    }
}
