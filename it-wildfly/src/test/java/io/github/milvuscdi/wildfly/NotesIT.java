package io.github.milvuscdi.wildfly;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The notes WAR on WildFly: both aliases, each on its own milvus-lite, through the REST endpoints;
 * the SDK's own logging in WildFly's log.
 */
@Order(2)
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
        Http.Answer elsewhere = Http.post(
                run.notes("api/notebooks/archive/collections/wildfly_only_default/search"),
                "{\"embedding\": [0, 1, 0, 0]}");
        assertThat(elsewhere.status())
                .as("the archive's server has no such collection: %s", elsewhere)
                .isNotEqualTo(200);
        String log = run.wildfly.serverLogText();
        assertThat(log)
                .contains("Opened Milvus connection 'default' to " + run.current.address())
                .contains("Opened Milvus connection 'archive' to " + run.archive.address());
        // The SDK logs through SLF4J, which WildFly binds to its own logging: the SDK's error about the
        // missing collection is in server.log under its own logger.
        assertThat(log.lines())
                .as("the SDK's own line in %s", run.wildfly.serverLog())
                .anyMatch(line -> line.contains("[io.milvus.v2.")
                        && line.contains("'wildfly_only_default'")
                        && line.contains(" failed, error code: "));
    }
}
