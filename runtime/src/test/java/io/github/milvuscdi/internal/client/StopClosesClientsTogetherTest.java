package io.github.milvuscdi.internal.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.milvuscdi.internal.config.ConnectionSettings;
import io.github.milvuscdi.internal.config.MilvusConfiguration;
import io.github.milvuscdi.internal.sdk.MilvusSdk;
import io.milvus.v2.client.MilvusClientV2;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * When the application stops, its registry cancels the attempts under way first, then hands every
 * client to the factory at once, to be closed together under one bound (not one bound per client),
 * and last lets the factory wait for what the SDK keeps running. A client bean destroyed before the
 * registry has its client told to close at once and waited for with the others.
 */
class StopClosesClientsTogetherTest {

    @Test
    void theContainersClientsAreClosedInOneBatchAfterTheAttemptsAreCancelled() {
        List<String> steps = new CopyOnWriteArrayList<>();
        ClientFactory factory = new ClientFactory() {
            @Override
            public MilvusClientV2 open(ConnectionSettings settings) {
                return MilvusSdk.unconnectedClient();
            }

            @Override
            public void close(ConnectionSettings settings, MilvusClientV2 client) {
                steps.add("close " + settings.alias());
            }

            @Override
            public void closeSoon(ConnectionSettings settings, MilvusClientV2 client) {
                steps.add("close soon " + settings.alias());
            }

            @Override
            public void closeTogether(List<Map.Entry<ConnectionSettings, MilvusClientV2>> clients) {
                steps.add("close together "
                        + clients.stream().map(open -> open.getKey().alias()).collect(Collectors.joining(",")));
            }

            @Override
            public void stopOpening() {
                steps.add("stop opening");
            }

            @Override
            public void closedAll() {
                steps.add("closed all");
            }

            @Override
            public void applicationStopped() {
                steps.add("application stopped");
            }
        };
        ConnectionRegistry registry = new ConnectionRegistry(
                MilvusConfiguration.read(
                        new SmallRyeConfigBuilder()
                                .withSources(new PropertiesConfigSource(
                                        Map.of(
                                                "milvus.connections.a.uri", "http://localhost:1",
                                                "milvus.connections.b.uri", "http://localhost:2",
                                                "milvus.connections.c.uri", "http://localhost:3"),
                                        "test",
                                        100))
                                .build(),
                        Set.of()),
                true,
                factory);
        registry.connect("a");
        registry.connect("b");
        registry.connect("c");

        registry.closeAll();

        assertThat(steps).containsExactly("stop opening", "close together a,b,c", "closed all", "application stopped");
    }
}
