package io.github.milvuscdi.internal.cdi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.milvuscdi.MilvusConnections;
import io.github.milvuscdi.internal.cdi.Containers.Path;
import io.github.milvuscdi.launcher.MilvusLiteServer;
import io.github.milvuscdi.testing.MilvusLiteExtension;
import io.milvus.v2.client.MilvusClientV2;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.jboss.weld.environment.se.WeldContainer;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The client the container shares with the whole application cannot be broken by one caller:
 * {@code useDatabase} and {@code close} are refused, saying why and what to do, while other threads'
 * calls go on. Aliases added at run time keep the SDK's (pymilvus's) semantics.
 */
@Timeout(120)
class SharedClientTest {

    @RegisterExtension
    static final MilvusLiteExtension MILVUS = new MilvusLiteExtension("shared");

    @ParameterizedTest
    @EnumSource(Path.class)
    void useDatabaseAndCloseOnAnInjectedClientAreRefusedWhileOtherThreadsKeepWorking(Path path) throws Exception {
        try (AutoCloseable c = Containers.useConfig(
                        Map.of("milvus.connections.search.uri", MILVUS.server().uri()));
                WeldContainer container = OutageTest.boot(path)) {
            MilvusClientV2 client = OutageTest.client(container, "search");
            OutageTest.Load load = new OutageTest.Load(client, 4);
            try {
                load.awaitSuccesses(20);

                assertThatThrownBy(() -> client.useDatabase("default"))
                        .isInstanceOf(UnsupportedOperationException.class)
                        .hasMessage("Milvus alias 'search': useDatabase(\"default\") is refused on the client the "
                                + "container shares with the whole application: it would close the connection "
                                + "under other threads' calls and switch the database for every user. Instead set "
                                + "milvus.connections.search.db-name, pass the database in each request (the "
                                + "requests' databaseName), or configure one alias per database.");
                assertThatThrownBy(client::close)
                        .isInstanceOf(UnsupportedOperationException.class)
                        .hasMessageStartingWith("Milvus alias 'search': close() is refused on the client the "
                                + "container shares with the whole application")
                        .hasMessageContaining("The container closes it when the application stops");
                assertThatThrownBy(() -> client.close(1)).isInstanceOf(UnsupportedOperationException.class);

                load.awaitSuccesses(40);
            } finally {
                load.stop();
            }
            assertThat(load.stuck()).isZero();
            assertThat(load.failures).as("calls of other threads that failed").isEmpty();
            assertThat(client.clientIsReady()).isTrue();
        }
    }

    @ParameterizedTest
    @EnumSource(Path.class)
    void anAliasAddedAtRunTimeKeepsTheSdksUseDatabaseAndCloseAndStaysBounded(Path path) throws Exception {
        try (MilvusLiteServer own =
                        MilvusLiteServer.start("shared-own-" + path.name().toLowerCase());
                AutoCloseable c = Containers.useConfig(
                        Map.of("milvus.connections.search.uri", MILVUS.server().uri()));
                WeldContainer container = OutageTest.boot(path)) {
            MilvusConnections connections =
                    container.select(MilvusConnections.class).get();
            MilvusClientV2 mine = connections.connect(
                    "mine", Map.of("uri", own.uri(), "connect-timeout", "1s", "keep-alive-without-calls", "false"));
            mine.useDatabase("default"); // the SDK reconnects: a new stub, given the bound again
            assertThat(mine.listCollections().getCollectionNames()).isNotNull();

            own.stop();
            ExecutorService caller = Executors.newSingleThreadExecutor();
            try {
                Future<?> call = caller.submit(mine::listCollections);
                // connect-timeout (1 s) bounds the wait for a usable connection; without it the SDK
                // waits for the server to come back (its stubs are built withWaitForReady)
                assertThatThrownBy(() -> call.get(15, TimeUnit.SECONDS))
                        .as("a call after useDatabase while the server is down")
                        .isInstanceOf(ExecutionException.class)
                        .hasMessageContaining("Milvus alias 'mine'");
            } finally {
                caller.shutdownNow();
            }

            mine.close();
            assertThat(mine.clientIsReady()).isFalse();
            connections.removeConnection("mine");
        }
    }
}
