package io.github.milvuscdi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.milvuscdi.harness.SilentListener;
import io.github.milvuscdi.launcher.MilvusLiteOptions;
import io.github.milvuscdi.launcher.MilvusLiteServer;
import io.github.milvuscdi.testing.MilvusLiteExtension;
import io.github.milvuscdi.testing.VectorRoundTrip;
import io.milvus.v2.client.MilvusClientV2;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The registry against a real milvus-lite: pymilvus's connection lifecycle, without a container. */
class MilvusConnectionsTest {

    @RegisterExtension
    static final MilvusLiteExtension MILVUS = new MilvusLiteExtension("registry");

    private final MilvusConnections connections = MilvusConnections.create();

    @AfterEach
    void closeEverything() {
        connections.close();
    }

    private static MilvusLiteServer server() {
        return MILVUS.server();
    }

    @Test
    void connectByUriAddressAndHostPortThenWriteAndSearch() {
        MilvusClientV2 byUri = connections.connect("by-uri", Map.of("uri", server().uri()));
        MilvusClientV2 byAddress = connections.connect("by-address", Map.of("address", server().address()));
        MilvusClientV2 byHostPort = connections.connect(
                "by-host-port", Map.of("host", server().host(), "port", Integer.toString(server().port())));

        VectorRoundTrip.createAndFill(byUri, "registry_roundtrip");
        assertThat(VectorRoundTrip.nearest(byUri, "registry_roundtrip", 3)).isEqualTo(3);
        assertThat(VectorRoundTrip.nearest(byAddress, "registry_roundtrip", 2)).isEqualTo(2);
        assertThat(VectorRoundTrip.nearest(byHostPort, "registry_roundtrip", 4)).isEqualTo(4);
    }

    @Test
    void disconnectClosesTheClientAndKeepsTheSettingsSoConnectWorksAgain() {
        connections.addConnection("a", Map.of("uri", server().uri()));
        assertThat(connections.hasConnection("a")).isFalse();
        MilvusClientV2 first = connections.connect("a");
        assertThat(connections.hasConnection("a")).isTrue();
        assertThat(connections.listConnections()).containsEntry("a", true);

        connections.disconnect("a");
        assertThat(first.clientIsReady())
                .as("the disconnected client is closed")
                .isFalse();
        assertThat(connections.hasConnection("a")).isFalse();
        assertThat(connections.listConnections()).containsEntry("a", false);

        MilvusClientV2 second = connections.connect("a");
        assertThat(second).isNotSameAs(first);
        assertThat(second.getServerVersion()).isNotBlank();
    }

    @Test
    void removeConnectionForgetsTheAlias() {
        connections.connect("a", Map.of("uri", server().uri()));
        connections.removeConnection("a");
        assertThat(connections.listConnections()).doesNotContainKey("a");
        assertThat(connections.getConnectionAddr("a")).isEmpty();
        assertThatThrownBy(() -> connections.connect("a"))
                .isInstanceOf(MilvusConfigurationException.class)
                .hasMessageContaining("set milvus.connections.a.uri");
    }

    @Test
    void unknownAliasesAreNoOpsForDisconnectAndRemove() {
        connections.disconnect("never-seen");
        connections.removeConnection("never-seen");
        assertThat(connections.hasConnection("never-seen")).isFalse();
        assertThat(connections.getConnectionAddr("never-seen")).isEmpty();
    }

    @Test
    void connectWithoutConfigurationNamesTheKeysToSet() {
        assertThatThrownBy(() -> connections.connect("search"))
                .isInstanceOf(MilvusConfigurationException.class)
                .hasMessage("Invalid Milvus configuration: alias 'search': no connection is configured; set "
                        + "milvus.connections.search.uri (e.g. http://localhost:19530), or "
                        + "milvus.connections.search.address, or milvus.connections.search.host and "
                        + "milvus.connections.search.port, or add it with MilvusConnections.addConnection");
    }

    @Test
    void connectingAConnectedAliasElsewhereFailsAsInPymilvus() {
        MilvusClientV2 client = connections.connect("a", Map.of("uri", server().uri()));
        assertThat(connections.connect("a", Map.of("uri", server().uri()))).isSameAs(client);
        assertThatThrownBy(() -> connections.connect("a", Map.of("uri", "http://127.0.0.1:1")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage(
                        "Alias of 'a' already creating connections, but the configure is not the same as passed in.");
        assertThatThrownBy(() -> connections.addConnection("a", Map.of("address", "127.0.0.1:1")))
                .hasMessage(
                        "Alias of 'a' already creating connections, but the configure is not the same as passed in.");
        assertThat(connections.connect("a")).isSameAs(client);
    }

    @Test
    void addressAndToStringHoldNoSecrets() {
        connections.addConnection("a", Map.of("uri", "http://root:uri-pa55@h:1/db1"));
        connections.addConnection("b", Map.of("uri", "https://h:2", "token", "tok-s3cret"));
        connections.addConnection("c", Map.of("uri", "http://h:3", "user", "root", "password", "pa55word"));
        assertThat(connections.getConnectionAddr("a"))
                .containsExactly(
                        Map.entry("address", "h:1"),
                        Map.entry("secure", "false"),
                        Map.entry("user", "root"),
                        Map.entry("db_name", "db1"));
        assertThat(connections.getConnectionAddr("b"))
                .containsEntry("address", "h:2")
                .containsEntry("secure", "true");
        String everything = connections.getConnectionAddr("a") + " " + connections.getConnectionAddr("b") + " "
                + connections.getConnectionAddr("c") + " " + connections;
        assertThat(everything).doesNotContain("pa55").doesNotContain("s3cret");
    }

    @Test
    void invalidKeysGivenAtRunTimeAreRejectedWithTheKey() {
        assertThatThrownBy(() -> connections.addConnection("a", Map.of("uri", "http://h", "connect-timeout", "x")))
                .isInstanceOf(MilvusConfigurationException.class)
                .hasMessageContaining("milvus.connections.a.connect-timeout='x' is not a positive duration");
        assertThatThrownBy(() -> connections.connect("a", Map.of("address", "h")))
                .hasMessageContaining("milvus.connections.a.address='h' is not host:port");
        assertThat(connections.listConnections()).doesNotContainKey("a");
    }

    @Test
    void thirtyTwoThreadsRacingOnFirstUseGetOneClient() throws Exception {
        connections.addConnection("race", Map.of("uri", server().uri()));
        int threads = 32;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<MilvusClientV2>> results = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                Callable<MilvusClientV2> lookup = () -> {
                    start.await();
                    return connections.connect("race");
                };
                results.add(pool.submit(lookup));
            }
            start.countDown();
            Set<MilvusClientV2> distinct = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
            for (Future<MilvusClientV2> result : results) {
                distinct.add(result.get(60, TimeUnit.SECONDS));
            }
            assertThat(distinct).hasSize(1);
            assertThat(distinct.iterator().next().getServerVersion()).isNotBlank();
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void nothingListeningFailsClearlyNamingAliasAndAddress() throws Exception {
        int port;
        try (SilentListener probe = SilentListener.open()) {
            port = probe.port();
        }
        long started = System.nanoTime();
        assertThatThrownBy(() ->
                        connections.connect("down", Map.of("uri", "http://127.0.0.1:" + port, "connect-timeout", "1s")))
                .isInstanceOf(MilvusConnectionException.class)
                .hasMessageStartingWith(
                        "Milvus alias 'down': cannot connect to 127.0.0.1:" + port + " (connect-timeout 1000 ms): ");
        assertThat(Duration.ofNanos(System.nanoTime() - started))
                .as("a generous bound that only catches a hang")
                .isLessThan(Duration.ofSeconds(30));
        assertThat(connections.hasConnection("down")).isFalse();
    }

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS) // without the bound the SDK's database check waits for ever
    void aServerThatConnectsButNeverAnswersTheDatabaseCheckFailsWithinTwiceTheTimeout() {
        try (MilvusLiteServer hanging = MilvusLiteServer.start(
                "no-databases", MilvusLiteOptions.plaintext().neverAnswering("ListDatabases"))) {
            assertThatThrownBy(() -> connections.connect(
                            "hanging", Map.of("uri", hanging.uri(), "db-name", "default", "connect-timeout", "1s")))
                    .isInstanceOf(MilvusConnectionException.class)
                    .hasMessage("Milvus alias 'hanging': cannot connect to " + hanging.address()
                            + " (connect-timeout 1000 ms): the server accepted the connection but gave no answer "
                            + "within 2000 ms (twice connect-timeout) while the SDK checked that database 'default' "
                            + "exists");
            assertThat(connections.hasConnection("hanging")).isFalse();
            assertThat(connections
                            .connect("same-server", Map.of("uri", hanging.uri()))
                            .getServerVersion())
                    .as("without a database the SDK makes no such call")
                    .isNotBlank();
        }
    }

    @Test
    void aServerThatNeverAnswersFailsWithinTheTimeout() {
        try (SilentListener blackhole = SilentListener.open()) {
            assertThatThrownBy(() ->
                            connections.connect("silent", Map.of("uri", blackhole.uri(), "connect-timeout", "1s")))
                    .isInstanceOf(MilvusConnectionException.class)
                    .hasMessageStartingWith("Milvus alias 'silent': cannot connect to " + blackhole.address());
        }
    }
}
