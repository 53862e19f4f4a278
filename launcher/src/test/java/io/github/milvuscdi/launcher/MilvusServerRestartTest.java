package io.github.milvuscdi.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.milvus.v2.client.MilvusClientV2;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Outage tests on the real server: it stops within a bound and comes back where it was, with its data. */
class MilvusServerRestartTest {

    @Test
    void stopEndsEveryProcessWithinItsBoundAndRestartKeepsPortAndData() throws Exception {
        try (MilvusServer server = MilvusServer.start("restart")) {
            int port = server.port();
            MilvusClientV2 client = Clients.connect(server.uri(), Duration.ofSeconds(30));
            MilvusClientV2 impatient = Clients.connect(server.uri(), Duration.ofSeconds(2));
            try {
                Clients.createPoints(client, "kept");
                List<ProcessHandle> processes = server.pids().stream()
                        .map(pid -> ProcessHandle.of(pid).orElseThrow())
                        .toList();
                assertThat(processes).as("launcher and milvus").hasSizeGreaterThanOrEqualTo(2);

                long started = System.nanoTime();
                server.stop();

                // SIGTERM, SIGKILL after 3 s, and 10 s for the launcher: never the 40 s Milvus may take.
                assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(25));
                assertThat(server.isRunning()).isFalse();
                assertThat(processes).noneMatch(ProcessHandle::isAlive);
                assertThatThrownBy(() -> Clients.exists(impatient, "kept")).isInstanceOf(RuntimeException.class);

                server.restart();

                assertThat(server.port()).isEqualTo(port);
                // Milvus reloads loaded collections by itself (milvus-lite does not).
                assertThat(Clients.nearest(client, "kept", 0, 0, 0.2f, 0.9f)).isEqualTo(4L);
            } finally {
                Clients.close(client);
                Clients.close(impatient);
            }
        }
    }

    @Test
    void closeIsIdempotentAndEndsTheServerForGood() {
        MilvusServer server = MilvusServer.start("closing");
        server.close();
        server.close();

        assertThat(server.isRunning()).isFalse();
        assertThatThrownBy(server::restart)
                .isInstanceOf(IllegalStateException.class)
                .hasMessage(server + " is closed; start a new one with MilvusServer.start(\"closing\")");
    }
}
