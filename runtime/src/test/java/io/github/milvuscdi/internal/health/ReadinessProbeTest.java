package io.github.milvuscdi.internal.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.milvuscdi.MilvusConnectionException;
import io.github.milvuscdi.harness.LogCapture;
import io.github.milvuscdi.harness.ReadinessReport;
import io.github.milvuscdi.internal.client.ConnectionRegistry;
import io.github.milvuscdi.internal.client.FakeClientFactory;
import io.github.milvuscdi.internal.config.ConnectionSettings;
import io.github.milvuscdi.internal.config.MilvusConfiguration;
import io.milvus.v2.client.MilvusClientV2;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The readiness probe's scheduling over a fake client factory and a fake server check: no server, no
 * network. What a real server answers is {@code ServerProbe}'s job, tested end to end in the extension.
 */
class ReadinessProbeTest {

    /** How long any wait of this test may take; never reached when the probe works. */
    private static final Duration BOUND = Duration.ofSeconds(30);

    /** The probe's bound where nothing hangs: generous, so that a busy machine cannot fail a healthy alias. */
    private static final Duration AMPLE = Duration.ofSeconds(5);

    private final FakeClientFactory factory = new FakeClientFactory();
    private final FakeServers servers = new FakeServers();
    private ReadinessProbe probe;

    @AfterEach
    void release() {
        factory.release();
        servers.release.countDown();
        if (probe != null) {
            probe.close();
        }
    }

    @Test
    void aServerThatNeverAnswersIsDownAtTheBoundAndIsAskedOnceNotOncePerProbe() {
        probe = probe(Map.of(
                "milvus.connections.search.uri",
                "http://search.example:19530",
                "milvus.connections.frozen.uri",
                "http://frozen.example:19530"));
        servers.hang("frozen");
        Duration bound = Duration.ofSeconds(1);

        for (int i = 0; i < 2; i++) {
            Map<String, AliasHealth> report = byAlias(probe.probe(bound));
            assertThat(report.get("frozen").describe())
                    .as("probe %s", i)
                    .isEqualTo("DOWN frozen.example:19530 db=default reason=no answer within 1000 ms");
            assertThat(report.get("search").describe())
                    .as("probe %s", i)
                    .startsWith("UP search.example:19530 db=default version=fake-2.6");
        }
        assertThat(servers.calls("frozen"))
                .as("the hung call is awaited again, not repeated")
                .isEqualTo(1);
        assertThat(servers.calls("search")).isEqualTo(2);

        servers.release.countDown();
        AliasHealth back =
                ReadinessReport.awaitStatus(() -> byAlias(probe.probe(AMPLE)).get("frozen"), AliasHealth::up, BOUND);
        assertThat(back.describe()).startsWith("UP frozen.example:19530 ");
    }

    @Test
    void aNeverUsedAliasIsConnectedOnceInTheBackgroundAndProbedOnTheRegistrysClient() {
        probe = probe(Map.of(
                "milvus.connections.lazy.uri",
                "http://lazy.example:19530",
                "milvus.connections.lazy.connect-timeout",
                "10s"));
        factory.holdOpens();
        Duration bound = Duration.ofMillis(500);

        for (int i = 0; i < 2; i++) {
            AliasHealth connecting = byAlias(probe.probe(bound)).get("lazy");
            assertThat(connecting.state()).as("probe %s", i).isEqualTo(AliasHealth.State.CONNECTING);
            assertThat(connecting.describe())
                    .isEqualTo("DOWN lazy.example:19530 db=default "
                            + "reason=connecting, not ready within 500 ms (connect-timeout 10000 ms)");
        }
        assertThat(factory.opened).as("one connect, however many probes").hasSize(1);

        factory.release();
        ReadinessReport.awaitStatus(() -> byAlias(probe.probe(AMPLE)).get("lazy"), AliasHealth::up, BOUND);
        assertThat(factory.opened).hasSize(1);
        assertThat(servers.clients.get("lazy"))
                .as("the probed client is the one the registry holds")
                .containsOnly(registry.connected("lazy").orElseThrow());
    }

    @Test
    void aFailedConnectIsDownWithTheReasonAndTriedAgainAtTheNextProbe() {
        probe = probe(Map.of("milvus.connections.gone.uri", "http://gone.example:19530"));
        factory.failWith(settings -> new MilvusConnectionException(
                settings.alias(),
                "cannot connect to " + settings.address() + " (connect-timeout 10000 ms): refused",
                null));

        AliasHealth down = byAlias(probe.probe(AMPLE)).get("gone");
        assertThat(down.describe())
                .matches("DOWN gone.example:19530 db=default latency=\\d+ms "
                        + "reason=cannot connect to gone.example:19530 \\(connect-timeout 10000 ms\\): refused");
        factory.failWith(null);
        // the registry shares a failure for min(connect-timeout, 1 s) after it: the next probes try again
        ReadinessReport.awaitStatus(() -> byAlias(probe.probe(AMPLE)).get("gone"), AliasHealth::up, BOUND);
        assertThat(factory.opened).hasSize(2);
    }

    @Test
    void aStateChangeIsLoggedOnceNotOncePerProbe() {
        probe = probe(Map.of("milvus.connections.search.uri", "http://search.example:19530"));
        servers.script("search", "DOWN", "DOWN", "DOWN", "UP", "UP", "DOWN");

        try (LogCapture log = LogCapture.of("io.github.milvuscdi.internal.health")) {
            for (int i = 0; i < 6; i++) {
                probe.probe(AMPLE);
            }
            assertThat(log.lines("io.github.milvuscdi.internal.health"))
                    .containsExactly(
                            "WARNING io.github.milvuscdi.internal.health.ReadinessProbe: Milvus alias 'search' is not ready: "
                                    + "DOWN search.example:19530 db=default latency=1ms reason=UNAVAILABLE: fake refusal",
                            "INFO io.github.milvuscdi.internal.health.ReadinessProbe: Milvus alias 'search' is ready again: "
                                    + "UP search.example:19530 db=default version=fake-2.6 latency=1ms",
                            "WARNING io.github.milvuscdi.internal.health.ReadinessProbe: Milvus alias 'search' is not ready: "
                                    + "DOWN search.example:19530 db=default latency=1ms reason=UNAVAILABLE: fake refusal");
        }
    }

    @Test
    void aliasesWithHealthOffAreLeftOutAndRunTimeAliasesCountWhileConnected() {
        probe = probe(Map.of(
                "milvus.connections.search.uri",
                "http://search.example:19530",
                "milvus.connections.quiet.uri",
                "http://quiet.example:19530",
                "milvus.connections.quiet.health.enabled",
                "false"));

        assertThat(byAlias(probe.probe(AMPLE))).containsOnlyKeys("search");
        registry.addConnection("mine", Map.of("uri", "http://mine.example:19530"));
        assertThat(byAlias(probe.probe(AMPLE))).as("added, not connected").containsOnlyKeys("search");
        registry.connect("mine", Map.of("uri", "http://mine.example:19530"));
        assertThat(byAlias(probe.probe(AMPLE))).containsOnlyKeys("mine", "search");
        registry.disconnect("mine");
        assertThat(byAlias(probe.probe(AMPLE))).containsOnlyKeys("search");

        assertThat(servers.calls("quiet")).isZero();
        assertThat(factory.opened).doesNotContain("quiet.example:19530");
    }

    @Test
    void aClosedProbeReportsEveryAliasDownWithoutAskingAnyServer() {
        probe = probe(Map.of("milvus.connections.search.uri", "http://search.example:19530"));
        probe.close();

        assertThat(probe.probe(AMPLE))
                .extracting(AliasHealth::describe)
                .containsExactly("DOWN search.example:19530 db=default reason=the application is stopping");
        assertThat(servers.calls("search")).isZero();
    }

    // ---------------------------------------------------------------- helpers

    private ConnectionRegistry registry;

    private ReadinessProbe probe(Map<String, String> keys) {
        registry = new ConnectionRegistry(
                MilvusConfiguration.read(
                        new SmallRyeConfigBuilder()
                                .withSources(new PropertiesConfigSource(keys, "test", 500))
                                .build(),
                        Set.of()),
                true,
                factory);
        return new ReadinessProbe(registry, servers::probe);
    }

    private static Map<String, AliasHealth> byAlias(List<AliasHealth> report) {
        return report.stream().collect(Collectors.toMap(AliasHealth::alias, health -> health));
    }

    /** Answers for each alias's server: up by default, a script of states, or no answer until released. */
    private static final class FakeServers {
        final CountDownLatch release = new CountDownLatch(1);
        final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
        final Map<String, List<MilvusClientV2>> clients = new ConcurrentHashMap<>();
        private final Set<String> hung = ConcurrentHashMap.newKeySet();
        private final Map<String, Queue<String>> scripts = new ConcurrentHashMap<>();

        void hang(String alias) {
            hung.add(alias);
        }

        void script(String alias, String... states) {
            scripts.put(alias, new ConcurrentLinkedQueue<>(List.of(states)));
        }

        int calls(String alias) {
            AtomicInteger count = calls.get(alias);
            return count == null ? 0 : count.get();
        }

        AliasHealth probe(
                String alias,
                ConnectionSettings settings,
                MilvusClientV2 client,
                String knownVersion,
                Duration timeout) {
            calls.computeIfAbsent(alias, a -> new AtomicInteger()).incrementAndGet();
            clients.computeIfAbsent(alias, a -> new CopyOnWriteArrayList<>()).add(client);
            if (hung.contains(alias)) {
                FakeClientFactory.awaitRelease(release);
            }
            Queue<String> script = scripts.get(alias);
            String state = script == null ? "UP" : script.poll();
            return "DOWN".equals(state)
                    ? AliasHealth.down(alias, settings, 1, "UNAVAILABLE: fake refusal")
                    : AliasHealth.up(alias, settings, "fake-2.6", 1);
        }
    }
}
