package io.github.milvuscdi.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.milvus.v2.client.MilvusClientV2;
import io.milvus.v2.service.collection.request.LoadCollectionReq;
import java.nio.file.Files;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Fault tests need a server that goes away and comes back where it was, with its data. */
class StopRestartTest {

    @Test
    void stopMakesCallsFailAndRestartBringsBackPortAndData() throws Exception {
        try (MilvusLiteServer server = MilvusLiteServer.start("restart")) {
            int port = server.port();
            MilvusClientV2 client = Clients.connect(server.uri());
            MilvusClientV2 impatient = Clients.connect(server.uri(), Duration.ofSeconds(2));
            try {
                Clients.createPoints(client, "kept");
                assertThat(Clients.exists(impatient, "kept")).isTrue();

                server.stop();

                assertThat(server.isRunning()).isFalse();
                // The SDK waits for a connection until the call's deadline, then fails.
                assertThatThrownBy(() -> Clients.exists(impatient, "kept")).isInstanceOf(RuntimeException.class);

                server.restart();

                assertThat(server.isRunning()).isTrue();
                assertThat(server.port()).isEqualTo(port);
                // The client connected before the stop reconnects by itself to the same address.
                assertThat(Clients.exists(client, "kept")).isTrue();
                // milvus-lite comes back with its collections released, where Milvus reloads them.
                client.loadCollection(
                        LoadCollectionReq.builder().collectionName("kept").build());
                assertThat(Clients.nearest(client, "kept", 0, 0, 0.2f, 0.9f)).isEqualTo(4L);
            } finally {
                Clients.close(client);
                Clients.close(impatient);
            }
            String log = Files.readString(server.logFile());
            assertThat(log).contains("--- milvus-cdi:").contains(" restarting: ");
            assertThat(log.split("listening on 127.0.0.1:" + port, -1)).hasSize(3);
        }
    }

    @Test
    void stopIsIdempotentAndCloseEndsTheServerForGood() {
        MilvusLiteServer server = MilvusLiteServer.start("closing");
        server.stop();
        server.stop();
        server.close();
        server.close();

        assertThat(server.isRunning()).isFalse();
        assertThatThrownBy(server::restart)
                .isInstanceOf(IllegalStateException.class)
                .hasMessage(server + " is closed; start a new one with MilvusLiteServer.start(\"closing\")");
    }

    @Test
    void restartOfARunningServerReplacesTheProcess() throws Exception {
        try (MilvusLiteServer server = MilvusLiteServer.start("bounce")) {
            ProcessHandle before = ProcessHandle.of(server.pid()).orElseThrow();

            server.restart();

            assertThat(server.isRunning()).isTrue();
            assertThat(server.pid()).isNotEqualTo(before.pid());
            assertThat(before.isAlive()).isFalse();
        }
    }

    @Test
    void rejectsANameThatCannotBeAFolder() {
        assertThatThrownBy(() -> MilvusLiteServer.start("../escape"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("The server name '../escape' cannot name a folder; use 1 to 64 letters, digits,"
                        + " '.', '_' or '-', starting with a letter or digit, such as 'search'");
    }
}
