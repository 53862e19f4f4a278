package io.github.milvuscdi.internal.cdi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.github.milvuscdi.MilvusConnections;
import io.github.milvuscdi.internal.cdi.Containers.Path;
import io.github.milvuscdi.launcher.MilvusLiteOptions;
import io.github.milvuscdi.launcher.MilvusLiteServer;
import io.milvus.v2.client.MilvusClientV2;
import java.time.Duration;
import java.util.Map;
import org.jboss.weld.environment.se.WeldContainer;
import org.junit.jupiter.api.Test;

/**
 * {@code useDatabase} on an alias added at run time is bounded by its connect-timeout: the SDK alone checks
 * the database with no deadline, and a server that never answers that check holds the caller for ever.
 */
class RuntimeAliasUseDatabaseTest {

    @Test
    void useDatabaseAgainstAServerThatNeverListsItsDatabasesFailsWithinConnectTimeout() throws Exception {
        try (MilvusLiteServer server = MilvusLiteServer.start(
                        "use-database-hangs", MilvusLiteOptions.plaintext().neverAnswering("ListDatabases"));
                AutoCloseable config = Containers.useConfig(Map.of());
                WeldContainer container = OutageTest.boot(Path.PORTABLE)) {
            MilvusConnections connections =
                    container.select(MilvusConnections.class).get();
            MilvusClientV2 mine = connections.connect(
                    "mine", Map.of("uri", server.uri(), "connect-timeout", "2s", "keep-alive-without-calls", "false"));

            assertTimeoutPreemptively(
                    Duration.ofSeconds(30),
                    () -> assertThatThrownBy(() -> mine.useDatabase("default"))
                            .hasMessageContaining(
                                    "Milvus alias 'mine': cannot switch to database 'default': " + server.address()
                                            + " did not list its databases within connect-timeout (2000 ms)"));
            assertThat(mine.listCollections().getCollectionNames())
                    .as("the connection is unchanged")
                    .isNotNull();
            connections.removeConnection("mine");
        }
    }
}
