package io.github.milvuscdi.it.quarkus;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Notes are found by what they mean, not by the words they share with the query: the application
 * embeds notes and queries with the real all-MiniLM-L6-v2 model and Milvus (a real milvus-lite)
 * returns the nearest. The queries share no word with the note they must find, and two other notes
 * share a word with a query ("trip", "state") without sharing its meaning.
 */
@QuarkusTest
@WithTestResource(MilvusLiteResource.class)
class SemanticSearchTest {

    private static final String PATH = "/notes/default/semantic_search";

    /** The train note and the tax note sit among others, neither first nor last. */
    private static final List<Map<String, Object>> NOTES = List.of(
            note(1, "Buy oat milk and coffee beans"),
            note(2, "Send the quarterly report to Dana"),
            note(3, "Trip over the loose rug in the hallway: nail it down"),
            note(4, "Book the night train to Vienna"),
            note(5, "Fix the dripping kitchen tap"),
            note(6, "The state of the garden after the storm"),
            note(7, "Settle the back taxes with the tax authority"),
            note(8, "Pay the plumber's invoice"),
            note(9, "Find a hotel near the station in Vienna"),
            note(10, "Call mum on her birthday"));

    /** The notes are written once per application: the first test creates the collection. */
    @BeforeEach
    void theNotesAreWritten() {
        if (given().put(PATH).statusCode() == 201) {
            given().contentType(ContentType.JSON)
                    .body(NOTES)
                    .post(PATH)
                    .then()
                    .statusCode(200)
                    .body("inserted", equalTo(NOTES.size()));
        }
    }

    @ParameterizedTest(name = "\"{0}\" finds \"{2}\" first")
    @CsvSource(delimiter = '|', textBlock = """
            a trip by rail          | 4 | Book the night train to Vienna
            money owed to the state | 7 | Settle the back taxes with the tax authority
            """)
    void theNoteNearestInMeaningComesFirst(String query, long expectedId, String expectedText) {
        Response found = given().contentType(ContentType.JSON)
                .body(Map.of("text", query, "limit", NOTES.size()))
                .post(PATH + "/search");
        found.then().statusCode(200);

        assertThat(found.jsonPath().getList("id", Long.class))
                .as("every note, nearest first, for \"%s\": %s", query, found.asString())
                .hasSize(NOTES.size())
                .first()
                .isEqualTo(expectedId);
        assertThat(found.jsonPath().getString("[0].text")).isEqualTo(expectedText);
        List<Float> scores = found.jsonPath().getList("score", Float.class);
        assertThat(scores).as("cosine similarities, nearest first").isSortedAccordingTo((a, b) -> Float.compare(b, a));
        assertThat(scores.get(0))
                .as("the best score")
                .isGreaterThan(scores.get(1))
                .isLessThanOrEqualTo(1.0f);
    }

    private static Map<String, Object> note(long id, String text) {
        return Map.of("id", id, "text", text);
    }
}
