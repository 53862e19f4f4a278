package io.github.milvuscdi.wildfly;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;

/**
 * The semantic-notes endpoints of the WAR on one alias, as a client uses them:
 * {@code PUT …/collections/{c}}, {@code POST …/notes}, {@code POST …/search}.
 */
final class Notebook {

    private final WildFlyRun run;
    private final String contextRoot;
    private final String alias;

    /** The endpoints of the notes WAR ({@code /notes}) on one alias. */
    Notebook(WildFlyRun run, String alias) {
        this(run, "notes", alias);
    }

    /** The endpoints of a copy of the notes WAR deployed at {@code contextRoot} on one alias. */
    Notebook(WildFlyRun run, String contextRoot, String alias) {
        this.run = run;
        this.contextRoot = contextRoot;
        this.alias = alias;
    }

    /**
     * Creates a collection of dimension 4, adds three notes and searches near the second: the
     * whole round trip through the alias's injected client, asserted at each step.
     */
    void roundTrip(String collection) throws IOException, InterruptedException {
        String base = run.application(contextRoot, "api/notebooks/" + alias + "/collections/" + collection);
        Http.Answer created = Http.put(base, "{\"dimension\": 4}");
        assertThat(created.status()).as("%s", created).isIn(200, 201);

        Http.Answer added = Http.post(
                base + "/notes",
                "["
                        + "{\"id\": 1, \"text\": \"" + alias + " one\", \"embedding\": [1, 0, 0, 0]},"
                        + "{\"id\": 2, \"text\": \"" + alias + " two\", \"embedding\": [0, 1, 0, 0]},"
                        + "{\"id\": 3, \"text\": \"" + alias + " three\", \"embedding\": [0, 0, 1, 0]}]");
        assertThat(added.status()).as("%s", added).isEqualTo(200);
        assertThat(added.json().getAsJsonObject().get("inserted").getAsLong()).isEqualTo(3);

        Http.Answer found = Http.post(base + "/search", "{\"embedding\": [0.1, 0.9, 0.1, 0], \"limit\": 2}");
        assertThat(found.status()).as("%s", found).isEqualTo(200);
        JsonArray hits = found.json().getAsJsonArray();
        assertThat(hits).as("%s", found).hasSize(2);
        JsonObject nearest = hits.get(0).getAsJsonObject();
        assertThat(nearest.get("id").getAsLong()).as("%s", found).isEqualTo(2);
        assertThat(nearest.get("text").getAsString()).isEqualTo(alias + " two");
    }
}
