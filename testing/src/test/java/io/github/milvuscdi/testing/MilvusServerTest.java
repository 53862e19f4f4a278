package io.github.milvuscdi.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.milvuscdi.launcher.Clients;
import io.github.milvuscdi.launcher.MilvusBackend;
import io.github.milvuscdi.launcher.MilvusServer;
import io.milvus.v2.client.MilvusClientV2;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Milvus's own standalone server, started by the extension, answers as Milvus 2.3.5 does. */
class MilvusServerTest {

    @RegisterExtension
    static final MilvusServerExtension MILVUS = new MilvusServerExtension("standalone");

    @Test
    void answersRealRpcsAsMilvus235() throws Exception {
        MilvusClientV2 client = Clients.connect(MILVUS.server().uri());
        try {
            assertThat(client.getServerVersion()).isEqualTo("v2.3.5-lite");
            Clients.createPoints(client, "answers");
            assertThat(Clients.nearest(client, "answers", 0, 0.9f, 0.1f, 0)).isEqualTo(2L);
        } finally {
            Clients.close(client);
        }
    }

    @Test
    void runsTheRealServerOnItsOwnPortsAndFolder() throws Exception {
        MilvusServer server = MILVUS.server();

        assertThat(server.backend()).isEqualTo(MilvusBackend.MILVUS_SERVER);
        assertThat(server.uri()).isEqualTo("http://127.0.0.1:" + server.port());
        // The health endpoint listens on the reserved metrics port, not on Milvus's fixed 9091.
        HttpResponse<String> health = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.metricsPort() + "/healthz"))
                                .timeout(Duration.ofSeconds(10))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(health.body()).isEqualTo("OK");
        String config = Files.readString(server.dataDir().resolve("configs").resolve("milvus.yaml"));
        assertThat(config).contains("  port: " + server.port() + "\n");
        assertThat(Files.readString(server.dataDir().resolve("configs").resolve("embedded-etcd.yaml")))
                .doesNotContain(":2379")
                .doesNotContain(":2380");
        assertThat(readLog(server)).contains("--- milvus-cdi:").contains("Version:   v2.3.5-lite");
    }

    private static String readLog(MilvusServer server) throws IOException {
        return Files.readString(server.logFile());
    }
}
