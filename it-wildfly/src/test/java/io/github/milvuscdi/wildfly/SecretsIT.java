package io.github.milvuscdi.wildfly;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Last of the run: the server log of everything before (deployments, connections, probes, a failed
 * deployment, redeployments) holds no password and no token of the configuration, though both
 * were in use: alias {@code default} has a user and password, alias {@code archive} a token.
 */
@Order(Integer.MAX_VALUE)
@ExtendWith(WildFlyRun.Extension.class)
class SecretsIT {

    @Test
    void serverLogHoldsNoSecret(WildFlyRun run) throws Exception {
        // whatever ran before, this run has used both aliases with their credentials
        run.deployNotes();
        try {
            new Notebook(run, "default").roundTrip("secrets");
            new Notebook(run, "archive").roundTrip("secrets");
        } finally {
            run.wildfly.management().undeploy(WildFlyRun.NOTES);
        }
        String log = run.wildfly.serverLogText();
        assertThat(log)
                .contains("Opened Milvus connection 'default'")
                .contains("Opened Milvus connection 'archive'")
                .contains("Closed Milvus connection 'default'")
                .contains("Closed Milvus connection 'archive'");
        assertThat(log).doesNotContain(run.secrets());
        assertThat(Files.readString(run.wildfly.consoleLog())).doesNotContain(run.secrets());
    }
}
