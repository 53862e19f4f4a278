package io.github.milvuscdi.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.milvuscdi.launcher.Clients;
import io.github.milvuscdi.launcher.MilvusLiteServer;
import io.milvus.v2.client.MilvusClientV2;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** One server for the class through a static field: a real vector search against it. */
class VectorSearchTest {

    @RegisterExtension
    static final MilvusLiteExtension SEARCH = new MilvusLiteExtension("search");

    private static MilvusClientV2 client;

    @BeforeAll
    static void connect() {
        client = Clients.connect(SEARCH.server().uri());
        Clients.createPoints(client, "points");
    }

    @AfterAll
    static void disconnect() throws InterruptedException {
        Clients.close(client);
    }

    @Test
    void findsTheNearestNeighbour() {
        assertThat(Clients.nearest(client, "points", 0.1f, 0.2f, 0.9f, 0.1f)).isEqualTo(3L);
        assertThat(Clients.nearest(client, "points", 0.9f, 0.1f, 0.0f, 0.2f)).isEqualTo(1L);
    }

    @Test
    void describesWhereItRuns() throws Exception {
        MilvusLiteServer server = SEARCH.server();

        assertThat(server.name()).isEqualTo("search");
        assertThat(server.host()).isEqualTo("127.0.0.1");
        assertThat(server.address()).isEqualTo("127.0.0.1:" + server.port());
        assertThat(server.uri()).isEqualTo("http://127.0.0.1:" + server.port());
        assertThat(server.toString()).isEqualTo("MilvusLiteServer[search@127.0.0.1:" + server.port() + "]");
        assertThat(server.isRunning()).isTrue();

        Path expectedFolder =
                Path.of("target", "milvus-lite", "search-" + server.port()).toAbsolutePath();
        assertThat(server.logFile()).isEqualTo(expectedFolder.resolve("server.log"));
        assertThat(server.dataDir()).isEqualTo(expectedFolder.resolve("data")).isDirectory();
        assertThat(Files.readString(server.logFile())).contains("listening on 127.0.0.1:" + server.port());
    }

    @Test
    void theSameServerServesEveryTestOfTheClass() {
        assertThat(Clients.exists(client, "points")).isTrue();
    }
}
