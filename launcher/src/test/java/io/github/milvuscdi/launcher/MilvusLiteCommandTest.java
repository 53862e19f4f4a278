package io.github.milvuscdi.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.milvus.v2.client.ConnectConfig;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

/**
 * {@link MilvusLiteCommand}, the documented way to start milvus-lite outside the tests: on the port
 * asked for, answering RPCs, and a clear refusal of a port in use.
 */
class MilvusLiteCommandTest {

    @Test
    void startsMilvusLiteOnTheChosenPort() throws Exception {
        int port = PortReservation.freePort();
        try (MilvusLiteServer server = MilvusLiteServer.start("chosen", port)) {
            assertThat(server.uri()).endsWith(":" + port);
            assertThat(ServerReadiness.serverVersion(
                            ConnectConfig.builder()
                                    .uri("http://127.0.0.1:" + port)
                                    .keepAliveWithoutCalls(false)
                                    .rpcDeadlineMs(10_000)
                                    .build(),
                            false))
                    .isNotBlank();
        }
    }

    @Test
    void aPortInUseIsRefusedNamingIt() throws Exception {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            int port = taken.getLocalPort();
            assertThatThrownBy(() -> PortReservation.reserve(port))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageStartingWith("Port " + port + " is in use on the loopback interface");
        }
    }

    @Test
    void readsNamesAndPorts() {
        assertThat(MilvusLiteCommand.parse(new String[] {"default:19530", "archive"}))
                .containsExactly(new String[] {"default", "19530"}, new String[] {"archive", "0"});
        assertThat(MilvusLiteCommand.parse(new String[0])).containsExactly(new String[][] {{"default", "0"}});
        assertThat(MilvusLiteCommand.parse(new String[] {"--help"})).isEmpty();
        assertThatThrownBy(() -> MilvusLiteCommand.parse(new String[] {"default:abc"}))
                .hasMessage("'default:abc': the port after ':' is not a port; expected a number from 1 to 65535");
    }
}
