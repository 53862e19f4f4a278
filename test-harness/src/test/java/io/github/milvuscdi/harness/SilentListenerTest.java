package io.github.milvuscdi.harness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.milvus.v2.client.ConnectConfig;
import io.milvus.v2.client.MilvusClientV2;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class SilentListenerTest {

    @Test
    void acceptsAndCountsConnectionsButNeverAnswers() throws Exception {
        try (SilentListener hole = SilentListener.open();
                Socket socket = new Socket()) {
            assertThat(hole.acceptedConnections()).isZero();
            assertThat(hole.address()).isEqualTo("127.0.0.1:" + hole.port());
            assertThat(hole.uri()).isEqualTo("http://127.0.0.1:" + hole.port());

            socket.connect(new InetSocketAddress("127.0.0.1", hole.port()), 2_000);
            socket.getOutputStream().write("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes());
            socket.setSoTimeout(500);

            assertThat(hole.awaitAcceptedConnections(1, Duration.ofSeconds(5))).isTrue();
            assertThat(hole.acceptedConnections()).isEqualTo(1);
            InputStream in = socket.getInputStream();
            assertThatThrownBy(in::read).isInstanceOf(SocketTimeoutException.class);
        }
    }

    @Test
    void anSdkClientFailsToConnectInsteadOfHanging() {
        try (SilentListener hole = SilentListener.open()) {
            // Generous bound: it only catches a hang; connectTimeoutMs is what should end the wait.
            assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
                assertThatThrownBy(() -> new MilvusClientV2(ConnectConfig.builder()
                                .uri(hole.uri())
                                .connectTimeoutMs(1000)
                                .build()))
                        .isInstanceOf(RuntimeException.class);
            });
            assertThat(hole.acceptedConnections()).isGreaterThanOrEqualTo(1);
        }
    }

    @Test
    void closingEndsTheAcceptedConnections() throws Exception {
        SilentListener hole = SilentListener.open();
        try (Socket socket = new Socket("127.0.0.1", hole.port())) {
            assertThat(hole.awaitAcceptedConnections(1, Duration.ofSeconds(5))).isTrue();
            socket.setSoTimeout(5_000);

            hole.close();

            assertThat(socket.getInputStream().read()).isEqualTo(-1);
            assertThatThrownBy(() -> new Socket("127.0.0.1", hole.port()).close())
                    .isInstanceOf(java.net.ConnectException.class);
        }
    }
}
