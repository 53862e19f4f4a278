package io.github.milvuscdi.it.notes.checks;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.github.milvuscdi.launcher.MilvusTestServer;
import io.github.milvuscdi.testing.VectorRoundTrip;
import io.milvus.v2.client.ConnectConfig;
import io.milvus.v2.client.MilvusClientV2;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

/**
 * What every runtime's test proves of the notes application, written once: notes written and
 * searched through REST on each alias, each alias on its own server.
 */
public final class NotesChecks {

    /** One HTTP call to the application under test. */
    @FunctionalInterface
    public interface Call {
        /**
         * @param method the HTTP method
         * @param path the path, from the server's root
         * @param json the body
         * @return the answer
         */
        HttpResponse<String> send(String method, String path, String json);
    }

    private NotesChecks() {}

    /**
     * Writes three notes on each alias, finds the nearest of a query, then checks with direct clients that
     * each alias's collection is on its own server only, and that an alias the application does not know
     * answers 404.
     *
     * @param call sends a request
     * @param api the REST API's root path: {@code /notes/api} (context root {@code notes}) or {@code /api}
     * @param servers each alias's server
     * @param collections each alias's collection
     */
    public static void roundTripOnEachAliasOnItsOwnServer(
            Call call, String api, Map<String, ? extends MilvusTestServer> servers, Map<String, String> collections) {
        List<String> aliases = List.copyOf(servers.keySet());
        for (String alias : aliases) {
            String collection = api + "/notebooks/" + alias + "/collections/" + collections.get(alias);
            assertStatus(call.send("PUT", collection, "{\"dimension\": 4}"), 201);
            assertStatus(
                    call.send(
                            "POST",
                            collection + "/notes",
                            "["
                                    + "{\"id\": 1, \"text\": \"" + alias + ": buy milk\", \"embedding\": [1, 0, 0, 0]},"
                                    + "{\"id\": 2, \"text\": \"" + alias
                                    + ": call the plumber\", \"embedding\": [0, 1, 0, 0]},"
                                    + "{\"id\": 3, \"text\": \"" + alias
                                    + ": water the plants\", \"embedding\": [0, 0, 1, 0]}]"),
                    200);
            HttpResponse<String> found =
                    call.send("POST", collection + "/search", "{\"embedding\": [0.1, 0.9, 0.1, 0], \"limit\": 2}");
            assertStatus(found, 200);
            JsonArray hits = JsonParser.parseString(found.body()).getAsJsonArray();
            assertThat(hits).hasSize(2);
            JsonObject nearest = hits.get(0).getAsJsonObject();
            assertThat(nearest.get("id").getAsLong()).isEqualTo(2);
            assertThat(nearest.get("text").getAsString()).isEqualTo(alias + ": call the plumber");
            assertThat(nearest.get("score").getAsFloat())
                    .isGreaterThan(hits.get(1).getAsJsonObject().get("score").getAsFloat());
        }
        // Each alias reached its own server: the one its configuration names.
        for (String alias : aliases) {
            MilvusClientV2 direct = new MilvusClientV2(ConnectConfig.builder()
                    .uri(servers.get(alias).uri())
                    .keepAliveWithoutCalls(false)
                    .rpcDeadlineMs(10_000)
                    .build());
            try {
                for (String other : aliases) {
                    assertThat(VectorRoundTrip.exists(direct, collections.get(other)))
                            .as("collection of alias '%s' on the server of alias '%s'", other, alias)
                            .isEqualTo(other.equals(alias));
                }
            } finally {
                try {
                    direct.close(5);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
        }
        assertStatus(call.send("POST", api + "/notebooks/elsewhere/collections/x/search", "{\"embedding\": [1]}"), 404);
    }

    /**
     * Asserts an answer's status, quoting the request and the body when it is another.
     *
     * @param response the answer
     * @param status the status expected
     */
    public static void assertStatus(HttpResponse<String> response, int status) {
        assertThat(response.statusCode())
                .as(
                        "%s %s answered: %s",
                        response.request().method(), response.request().uri(), response.body())
                .isEqualTo(status);
    }
}
