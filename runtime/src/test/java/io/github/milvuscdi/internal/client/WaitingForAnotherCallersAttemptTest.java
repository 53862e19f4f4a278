package io.github.milvuscdi.internal.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.milvuscdi.internal.config.ConnectionSettings;
import io.github.milvuscdi.internal.config.MilvusConfiguration;
import io.github.milvuscdi.internal.sdk.MilvusSdk;
import io.milvus.v2.client.MilvusClientV2;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A caller that arrives while another connects the same alias waits for that attempt as long as the
 * attempt may last (it resolves the host within connect-timeout and connects within twice it), and
 * gets its client: it does not give up first, as it did past 2 x connect-timeout + 5 s.
 */
@Timeout(60)
class WaitingForAnotherCallersAttemptTest {

    private static final long CONNECT_TIMEOUT_MILLIS = 4_000;
    /** Where a waiting caller gave up before: 2 x connect-timeout + 5 s; the attempt itself may take 3 x. */
    private static final long OLD_WAIT_MILLIS = 2 * CONNECT_TIMEOUT_MILLIS + 5_000;

    @Test
    void aWaitingCallerGetsTheClientOfAnAttemptThatTookLongerThanTwiceConnectTimeout() throws Exception {
        CountDownLatch connecting = new CountDownLatch(1);
        CountDownLatch finish = new CountDownLatch(1);
        MilvusClientV2 connected = MilvusSdk.unconnectedClient();
        ClientFactory slow = new ClientFactory() {
            @Override
            public MilvusClientV2 open(ConnectionSettings settings) {
                connecting.countDown();
                FakeClientFactory.awaitRelease(finish); // resolving a slow host, then connecting
                return connected;
            }

            @Override
            public void close(ConnectionSettings settings, MilvusClientV2 client) {}
        };
        ConnectionRegistry registry = new ConnectionRegistry(
                MilvusConfiguration.read(
                        new SmallRyeConfigBuilder()
                                .withSources(new PropertiesConfigSource(
                                        Map.of(
                                                "milvus.connections.search.uri",
                                                "http://localhost:1",
                                                "milvus.connections.search.connect-timeout",
                                                CONNECT_TIMEOUT_MILLIS + "ms"),
                                        "test",
                                        100))
                                .build(),
                        Set.of()),
                true,
                slow);
        CompletableFuture<MilvusClientV2> first = CompletableFuture.supplyAsync(() -> registry.connect("search"));
        assertThat(connecting.await(10, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<MilvusClientV2> waiting = CompletableFuture.supplyAsync(() -> registry.connect("search"));

        // the attempt is still within its own bound (3 x connect-timeout): the caller must still be waiting
        assertThatThrownBy(() -> waiting.get(OLD_WAIT_MILLIS + 1_000, TimeUnit.MILLISECONDS))
                .as("the waiting caller, past 2 x connect-timeout + 5 s")
                .isInstanceOf(java.util.concurrent.TimeoutException.class);
        finish.countDown();

        assertThat(first.get(10, TimeUnit.SECONDS)).isSameAs(connected);
        assertThat(waiting.get(10, TimeUnit.SECONDS)).isSameAs(connected);
    }
}
