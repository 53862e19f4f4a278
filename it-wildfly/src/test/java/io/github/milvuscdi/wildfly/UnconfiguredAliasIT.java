package io.github.milvuscdi.wildfly;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import io.github.milvuscdi.wildfly.unconfigured.ArchiveReader;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A WAR that injects an alias no configuration names fails to deploy, and WildFly's failure
 * carries our message naming the key to set.
 */
@Order(3)
@ExtendWith(WildFlyRun.Extension.class)
class UnconfiguredAliasIT {

    private static final String EXPECTED =
            "alias 'nowhere': no location is configured; set milvus.connections.nowhere.uri";

    @Test
    void failsTheDeploymentNamingTheKey(WildFlyRun run) throws Exception {
        Path war = Wars.build("nowhere.war", List.of(ArchiveReader.class));
        JsonObject answer;
        try {
            answer = run.wildfly.management().deploy("nowhere.war", war);
        } finally {
            run.wildfly.management().undeploy("nowhere.war");
        }
        assertThat(answer.get("outcome").getAsString()).as("%s", answer).isEqualTo("failed");
        String failure = answer.get("failure-description").toString();
        assertThat(failure)
                .contains("nowhere.war")
                .contains("Invalid Milvus configuration")
                .contains(EXPECTED);
        assertThat(failure).doesNotContain(run.secrets());
        assertThat(run.wildfly.serverLogText()).contains(EXPECTED);
    }
}
