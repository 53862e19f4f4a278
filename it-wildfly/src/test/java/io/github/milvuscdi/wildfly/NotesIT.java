package io.github.milvuscdi.wildfly;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The notes WAR on WildFly: both aliases, each on its own milvus-lite, through the REST endpoints. */
@Order(1)
@ExtendWith(WildFlyRun.Extension.class)
class NotesIT {

    static WildFlyRun run;

    @BeforeAll
    static void deploy(WildFlyRun shared) throws Exception {
        run = shared;
        run.deployNotes();
    }

    @AfterAll
    static void undeploy() {
        if (run != null) {
            run.wildfly.management().undeploy(WildFlyRun.NOTES);
        }
    }

    @Test
    void roundTripsOnTheDefaultAlias() throws Exception {
        new Notebook(run, "default").roundTrip("wildfly_notes");
    }

    @Test
    void roundTripsOnTheArchiveAlias() throws Exception {
        new Notebook(run, "archive").roundTrip("wildfly_archive");
    }

    @Test
    void eachAliasReachesItsOwnServer() throws Exception {
        new Notebook(run, "default").roundTrip("wildfly_only_default");
        Http.Answer elsewhere = Http.post(run.notes("api/notebooks/archive/collections/wildfly_only_default/search"),
                "{\"embedding\": [0, 1, 0, 0]}");
        assertThat(elsewhere.status()).as("the archive's server has no such collection: %s", elsewhere)
                .isNotEqualTo(200);
        assertThat(run.wildfly.serverLogText())
                .contains("Opened Milvus connection 'default' to " + run.current.address())
                .contains("Opened Milvus connection 'archive' to " + run.archive.address());
    }
}
