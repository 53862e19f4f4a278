package io.github.milvuscdi.internal.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.milvuscdi.MilvusConfigurationException;
import io.github.milvuscdi.MilvusConnectionException;
import io.github.milvuscdi.internal.config.MilvusConfiguration;
import io.github.milvuscdi.testing.Await;
import io.milvus.v2.client.MilvusClientV2;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The registry's pymilvus semantics over a fake {@link ClientFactory}: no server, no network, in
 * milliseconds. Each client the fake opens is a distinct, never-connected SDK client, so "the same
 * client" is checked by identity and "closed" by the fake's record.
 */
class ConnectionRegistryTest {

    private static final Duration BOUND = Duration.ofSeconds(10);

    private final FakeClientFactory factory = new FakeClientFactory();
    private final ExecutorService threads = Executors.newCachedThreadPool();

    @AfterEach
    void stopThreads() throws InterruptedException {
        factory.release();
        threads.shutdownNow();
        assertThat(threads.awaitTermination(BOUND.toSeconds(), TimeUnit.SECONDS))
                .as("threads ended")
                .isTrue();
    }

    @Test
    void addConnectionStoresSettingsWithoutConnectingThenConnectOpensOnceAndReusesTheClient() {
        ConnectionRegistry registry = standalone();
        registry.addConnection("a", Map.of("uri", "http://a.example:19531"));

        assertThat(factory.opened).isEmpty();
        assertThat(registry.hasConnection("a")).isFalse();
        assertThat(registry.listConnections()).containsExactly(Map.entry("a", false), Map.entry("default", false));

        MilvusClientV2 first = registry.connect("a");
        assertThat(registry.connect("a")).isSameAs(first);
        assertThat(registry.connect("a", Map.of("uri", "http://a.example:19531")))
                .as("same settings, same client")
                .isSameAs(first);
        assertThat(factory.opened).containsExactly("a.example:19531");
        assertThat(registry.hasConnection("a")).isTrue();
        assertThat(registry.listConnections()).containsEntry("a", true);
    }

    @Test
    void otherSettingsForAConnectedAliasAreRefusedAsPymilvusDoes() {
        ConnectionRegistry registry = standalone();
        MilvusClientV2 client = registry.connect("a", Map.of("uri", "http://a.example:19531"));

        assertThatThrownBy(() -> registry.connect("a", Map.of("uri", "http://b.example:19531")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage(
                        "Alias of 'a' already creating connections, but the configure is not the same as passed in.");
        assertThatThrownBy(() -> registry.addConnection("a", Map.of("uri", "http://b.example:19531")))
                .isInstanceOf(IllegalStateException.class);
        assertThat(registry.connect("a")).isSameAs(client);
        assertThat(registry.getConnectionAddr("a")).containsEntry("address", "a.example:19531");
    }

    @Test
    void disconnectClosesTheClientAndKeepsTheSettingsSoTheNextConnectOpensAnother() {
        ConnectionRegistry registry = standalone();
        MilvusClientV2 first = registry.connect("a", Map.of("uri", "http://a.example:19531", "db-name", "notes"));

        registry.disconnect("a");
        assertThat(factory.closed).containsExactly(first);
        assertThat(registry.hasConnection("a")).isFalse();
        assertThat(registry.listConnections()).containsEntry("a", false);
        assertThat(registry.getConnectionAddr("a")).containsEntry("db_name", "notes");

        MilvusClientV2 second = registry.connect("a");
        assertThat(second).isNotSameAs(first);
        assertThat(factory.opened).hasSize(2);
    }

    @Test
    void removeConnectionClosesTheClientAndForgetsTheAlias() {
        ConnectionRegistry registry = standalone();
        MilvusClientV2 client = registry.connect("a", Map.of("uri", "http://a.example:19531"));

        registry.removeConnection("a");
        assertThat(factory.closed).containsExactly(client);
        assertThat(registry.listConnections()).doesNotContainKey("a");
        assertThat(registry.getConnectionAddr("a")).isEmpty();
        assertThatThrownBy(() -> registry.connect("a"))
                .isInstanceOf(MilvusConfigurationException.class)
                .hasMessageContaining("alias 'a': no connection is configured; set milvus.connections.a.uri");

        registry.disconnect("never-known");
        registry.removeConnection("never-known");
        assertThat(factory.closed).as("unknown aliases: no-ops").hasSize(1);
    }

    @Test
    void getConnectionAddrAndToStringShowWhereAnAliasConnectsWithoutItsSecrets() {
        ConnectionRegistry registry = standalone();
        registry.addConnection(
                "a", Map.of("uri", "https://a.example/notes", "user", "root", "password", "pw-never-shown"));
        registry.addConnection("b", Map.of("address", "b.example:19532", "token", "tok-never-shown"));

        assertThat(registry.getConnectionAddr("a"))
                .containsExactly(
                        Map.entry("address", "a.example:443"),
                        Map.entry("secure", "true"),
                        Map.entry("user", "root"),
                        Map.entry("db_name", "notes"));
        assertThat(registry.getConnectionAddr("b"))
                .containsExactly(Map.entry("address", "b.example:19532"), Map.entry("secure", "false"));
        assertThat(registry.getConnectionAddr("unknown")).isEmpty();
        assertThat(registry + " " + registry.getConnectionAddr("a") + registry.getConnectionAddr("b"))
                .doesNotContain("never-shown");
    }

    @Test
    void theContainersAliasesCannotBeDisconnectedRemovedOrRedefinedAndItsRegistryIsClosedOnlyByTheContainer() {
        ConnectionRegistry registry = container(Map.of("milvus.connections.search.uri", "http://search.example:19530"));
        MilvusClientV2 search = registry.connect("search");

        for (Runnable refused : List.<Runnable>of(
                () -> registry.disconnect("search"),
                () -> registry.removeConnection("search"),
                () -> registry.addConnection("search", Map.of("uri", "http://elsewhere:1")))) {
            assertThatThrownBy(refused::run)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageStartingWith("Milvus alias 'search' cannot be ")
                    .hasMessageContaining("it belongs to the container (configured under milvus.connections.search.*");
        }
        assertThatThrownBy(registry::close).isInstanceOf(IllegalStateException.class);
        assertThat(registry.connect("search")).as("still connected").isSameAs(search);
        assertThat(factory.closed).isEmpty();

        registry.connect("mine", Map.of("uri", "http://mine.example:19530"));
        registry.disconnect("mine");
        assertThat(factory.closed)
                .as("an alias added at run time follows pymilvus")
                .hasSize(1);

        registry.closeAll();
        assertThat(factory.closed).contains(search);
        assertThat(factory.closedAll).hasValue(1);
    }

    @Test
    void thirtyTwoConcurrentFirstUsesOfOneAliasOpenOneClient() throws Exception {
        ConnectionRegistry registry = container(Map.of("milvus.connections.search.uri", "http://search.example:19530"));
        factory.holdOpens();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> users = new CopyOnWriteArrayList<>();
        List<Future<MilvusClientV2>> results = new ArrayList<>();
        for (int i = 0; i < 32; i++) {
            results.add(threads.submit(() -> {
                users.add(Thread.currentThread());
                start.await();
                return registry.connect("search");
            }));
        }
        start.countDown();
        assertThat(factory.opening.await(BOUND.toMillis(), TimeUnit.MILLISECONDS))
                .as("one open started")
                .isTrue();
        // Every other user must be inside connect, waiting, before the open may finish; else the
        // race this test is about would not have happened.
        awaitUntil(
                () -> users.size() == 32
                        && users.stream()
                                .filter(t -> t != factory.opener.get())
                                .allMatch(t -> Set.of(
                                                Thread.State.BLOCKED, Thread.State.WAITING, Thread.State.TIMED_WAITING)
                                        .contains(t.getState())),
                "31 users waiting while the first opens");
        factory.release();

        MilvusClientV2 first = results.get(0).get(BOUND.toMillis(), TimeUnit.MILLISECONDS);
        for (Future<MilvusClientV2> result : results) {
            assertThat(result.get(BOUND.toMillis(), TimeUnit.MILLISECONDS)).isSameAs(first);
        }
        assertThat(factory.opened).as("clients opened").hasSize(1);
    }

    @Test
    void aFailureToConnectReachesTheCallerAndTheNextUseTriesAgain() {
        ConnectionRegistry registry = container(Map.of(
                "milvus.connections.search.uri",
                "http://search.example:19530",
                "milvus.connections.search.connect-timeout",
                "100ms"));
        MilvusConnectionException refused = new MilvusConnectionException(
                "search", "Milvus alias 'search': cannot connect to search.example:19530", null);
        factory.failWith(settings -> refused);

        assertThatThrownBy(() -> registry.connect("search")).isSameAs(refused);
        assertThat(registry.hasConnection("search")).isFalse();
        assertThat(registry.connected("search")).isEmpty();

        factory.failWith(null);
        // a failure is shared with callers arriving within min(connect-timeout, 1 s) after it (issue 11);
        // past that, the next use tries again
        MilvusClientV2 client = Await.until(() -> registry.connect("search"), connected -> connected != null, BOUND);
        assertThat(factory.opened).as("tried again, once").hasSize(2);
        assertThat(registry.connected("search")).containsSame(client);
    }

    @Test
    void anInvalidAliasFailsWithItsProblemsWithoutOpeningAnything() {
        ConnectionRegistry registry = container(Map.of("milvus.connections.bad.uri", "ftp://bad"));

        assertThatThrownBy(() -> registry.connect("bad"))
                .isInstanceOf(MilvusConfigurationException.class)
                .hasMessageContaining("milvus.connections.bad.uri")
                .hasMessageContaining("ftp://bad");
        assertThat(registry.settings("bad")).isEmpty();
        assertThat(factory.opened).isEmpty();
    }

    // ---------------------------------------------------------------- helpers

    private ConnectionRegistry standalone() {
        return new ConnectionRegistry(MilvusConfiguration.read(null, Set.of()), false, factory);
    }

    private ConnectionRegistry container(Map<String, String> keys) {
        return new ConnectionRegistry(
                MilvusConfiguration.read(
                        new SmallRyeConfigBuilder()
                                .withSources(new PropertiesConfigSource(keys, "test", 500))
                                .build(),
                        Set.of()),
                true,
                factory);
    }

    private static void awaitUntil(BooleanSupplier condition, String what) {
        Await.until(condition, BOUND, what);
    }
}
