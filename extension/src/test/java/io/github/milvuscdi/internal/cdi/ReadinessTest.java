package io.github.milvuscdi.internal.cdi;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.milvuscdi.ConfiguringMilvusClient;
import io.github.milvuscdi.MilvusConnection;
import io.github.milvuscdi.MilvusConnections;
import io.github.milvuscdi.harness.FreezingProxy;
import io.github.milvuscdi.harness.LogCapture;
import io.github.milvuscdi.harness.ReadinessReport;
import io.github.milvuscdi.harness.SilentListener;
import io.github.milvuscdi.internal.cdi.Containers.Path;
import io.github.milvuscdi.internal.health.MilvusReadinessCheck;
import io.github.milvuscdi.launcher.MilvusLiteServer;
import io.github.milvuscdi.testing.MilvusLiteExtension;
import io.github.milvuscdi.testing.TestSecrets;
import io.github.milvuscdi.testing.VectorRoundTrip;
import io.milvus.v2.client.MilvusClientV2;
import io.smallrye.health.AsyncHealthCheckFactory;
import io.smallrye.health.SmallRyeHealthReporter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.jboss.weld.environment.se.WeldContainer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The readiness check {@code milvus} on Weld, through both extensions, read from SmallRye Health's
 * JSON as a Kubernetes probe reads it, against real milvus-lite servers. Every alias of every test
 * carries a password and a token; no probe's JSON may show either.
 *
 * <p>Nothing here depends on how fast the machine is: where a state takes time to show (connecting
 * in the background, a server coming back), the test probes until it shows, within {@link #PATIENCE};
 * that an answer came within {@code milvus.health.timeout} is read from its reason ({@code no answer
 * within 1000 ms}, {@code connecting, not ready within 1000 ms}), never from a stopwatch.
 */
class ReadinessTest {

    @RegisterExtension
    static final MilvusLiteExtension SEARCH = new MilvusLiteExtension("search");

    @RegisterExtension
    static final MilvusLiteExtension ARCHIVE = new MilvusLiteExtension("archive");

    private static final TestSecrets SECRETS = TestSecrets.generate();

    /** How long a state may take to show; reached only when the check is broken. */
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    /** Every probe's JSON, to check that no secret ever appears in any. */
    private final List<String> probed = new ArrayList<>();

    /** Counts the clients built per alias: the hook fires once per client. */
    @ApplicationScoped
    static class ClientsBuilt {
        static final List<String> ALIASES = new CopyOnWriteArrayList<>();

        void built(@Observes ConfiguringMilvusClient event) {
            ALIASES.add(event.alias());
        }
    }

    @AfterEach
    void noProbeShowedASecret() {
        assertThat(probed).as("probes made").isNotEmpty();
        for (String json : probed) {
            SECRETS.assertNoneIn("a readiness probe", json);
        }
    }

    @ParameterizedTest
    @EnumSource(Path.class)
    void twoAliasesUpAreUpWithAddressDatabaseAndVersion(Path path) throws Exception {
        Map<String, String> config = new LinkedHashMap<>();
        alias(config, "search", SEARCH.server().uri());
        alias(config, "archive", ARCHIVE.server().uri());
        config.put("milvus.connections.archive.db-name", "default");
        try (AutoCloseable c = Containers.useConfig(config);
                WeldContainer container = boot(path)) {
            Probe probe = awaitProbe(container, p -> p.status.equals("UP"));

            assertThat(probe.data).containsOnlyKeys("archive", "search");
            assertThat(probe.data.get("search"))
                    .matches("UP " + quote(SEARCH.server().address())
                            + " db=default version=milvus_lite-\\S+ latency=\\d+ms");
            assertThat(probe.data.get("archive"))
                    .matches("UP " + quote(ARCHIVE.server().address())
                            + " db=default version=milvus_lite-\\S+ latency=\\d+ms");
        }
    }

    @ParameterizedTest
    @EnumSource(Path.class)
    void oneServerStoppedIsDownNamingItsAddressAndTheOtherStaysUpWithoutFloodingTheLog(Path path) throws Exception {
        try (MilvusLiteServer flaky =
                MilvusLiteServer.start("flaky-" + path.name().toLowerCase())) {
            Map<String, String> config = new LinkedHashMap<>();
            alias(config, "search", SEARCH.server().uri());
            alias(config, "flaky", flaky.uri());
            config.put("milvus.health.timeout", "1s");
            try (AutoCloseable c = Containers.useConfig(config);
                    WeldContainer container = boot(path);
                    LogCapture log = LogCapture.everything()) {
                MilvusClientV2 client = client(container, "flaky");
                assertThat(client.getServerVersion()).isNotBlank();
                awaitProbe(container, p -> p.status.equals("UP"));
                flaky.stop();

                for (int i = 0; i < 3; i++) {
                    Probe probe = probe(container);
                    assertThat(probe.status).isEqualTo("DOWN");
                    assertThat(probe.data.get("flaky"))
                            .as("probe %s", i)
                            .startsWith("DOWN " + flaky.address() + " db=default ")
                            .contains(" reason=");
                    assertThat(probe.data.get("search"))
                            .startsWith("UP " + SEARCH.server().address());
                }
                assertThat(log.lines("io.milvus"))
                        .as("lines logged by the SDK and gRPC")
                        .isEmpty();
                assertThat(log.lines("io.github.milvuscdi.internal.health"))
                        .as("one line when the alias went down, none per probe")
                        .singleElement()
                        .asString()
                        .contains("Milvus alias 'flaky' is not ready: DOWN " + flaky.address());
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Path.class)
    void aBlackholedAliasIsDownWithinTheBoundAndOneHungConnectIsNotRepeated(Path path) throws Exception {
        try (SilentListener blackhole = SilentListener.open()) {
            Map<String, String> config = new LinkedHashMap<>();
            alias(config, "search", SEARCH.server().uri());
            alias(config, "hung", blackhole.uri());
            config.put("milvus.connections.hung.connect-timeout", "30s");
            config.put("milvus.health.timeout", "1s");
            try (AutoCloseable c = Containers.useConfig(config);
                    WeldContainer container = boot(path)) {
                awaitProbe(container, p -> p.data.getOrDefault("search", "").startsWith("UP "));
                for (int i = 0; i < 3; i++) {
                    Probe probe = probe(container);
                    assertThat(probe.status).isEqualTo("DOWN");
                    // answered at the bound (1 s), not after connect-timeout (30 s): the reason says so
                    assertThat(probe.data.get("hung"))
                            .as("probe %s", i)
                            .isEqualTo(
                                    "DOWN " + blackhole.address()
                                            + " db=default reason=connecting, not ready within 1000 ms (connect-timeout 30000 ms)");
                    assertThat(probe.data.get("search")).startsWith("UP ");
                }
                assertThat(blackhole.acceptedConnections())
                        .as("connection attempts: the hung one is reused")
                        .isEqualTo(1);
                // ProbeThreads caps its pool at the alias count: counting its threads proves nothing.
                // A probe that started a connect of its own, or waited on the hung one, would be a
                // second readiness thread inside the alias's connection.
                assertThat(readinessThreadsConnecting())
                        .as("readiness threads connecting the hung alias: the first probe's, reused")
                        .isEqualTo(1);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Path.class)
    void aConnectedServerThatStopsAnsweringIsDownWithinTheBound(Path path) throws Exception {
        try (FreezingProxy proxy =
                FreezingProxy.to(SEARCH.server().host(), SEARCH.server().port())) {
            Map<String, String> config = new LinkedHashMap<>();
            alias(config, "frozen", proxy.uri());
            config.put("milvus.health.timeout", "1s");
            try (AutoCloseable c = Containers.useConfig(config);
                    WeldContainer container = boot(path)) {
                assertThat(client(container, "frozen").getServerVersion()).isNotBlank();
                awaitProbe(container, p -> p.status.equals("UP"));
                proxy.freeze();

                for (int i = 0; i < 2; i++) {
                    Probe probe = probe(container);
                    // answered at the bound, though the server never will: the reason says so
                    assertThat(probe.data.get("frozen"))
                            .as("probe %s", i)
                            .matches("DOWN " + quote(proxy.address())
                                    + " db=default (latency=\\d+ms )?reason=no answer within 1000 ms");
                }
                proxy.thaw();
                assertThat(awaitProbe(container, p -> p.status.equals("UP"))
                                .data
                                .get("frozen"))
                        .startsWith("UP " + proxy.address());
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Path.class)
    void aNeverUsedAliasIsUpWithinOneBoundAndItsClientIsTheOneInjected(Path path) throws Exception {
        ClientsBuilt.ALIASES.clear();
        Map<String, String> config = new LinkedHashMap<>();
        alias(config, "lazy", SEARCH.server().uri());
        // One bound that connecting to a local server fits in, however busy the machine: the first
        // probe connects in the background and waits for it within this bound, no longer.
        config.put("milvus.health.timeout", "10s");
        try (AutoCloseable c = Containers.useConfig(config);
                WeldContainer container = boot(path, ClientsBuilt.class)) {
            MilvusConnections connections =
                    container.select(MilvusConnections.class).get();
            assertThat(connections.hasConnection("lazy")).isFalse();

            Probe first = probe(container);
            assertThat(first.status).as("the first probe, %s", first).isEqualTo("UP");
            assertThat(first.data.get("lazy"))
                    .startsWith("UP " + SEARCH.server().address() + " db=default version=");
            assertThat(connections.hasConnection("lazy"))
                    .as("the probe connected it")
                    .isTrue();
            assertThat(ClientsBuilt.ALIASES).containsExactly("lazy");

            MilvusClientV2 injected = client(container, "lazy");
            assertThat(ClientsBuilt.ALIASES).as("no second client").containsExactly("lazy");
            assertThat(injected).isSameAs(connections.connect("lazy"));
            assertThat(VectorRoundTrip.exists(injected, "none_" + path.name().toLowerCase()))
                    .isFalse();
        }
    }

    @ParameterizedTest
    @EnumSource(Path.class)
    void aServerThatComesBackIsUpAtTheNextProbeAndTheInjectedClientWorksAgain(Path path) throws Exception {
        try (MilvusLiteServer flaky =
                MilvusLiteServer.start("back-" + path.name().toLowerCase())) {
            Map<String, String> config = new LinkedHashMap<>();
            alias(config, "flaky", flaky.uri());
            // The bound is what the next probe may take to reconnect: ample, so that a busy machine
            // cannot make "at the next probe" late.
            config.put("milvus.health.timeout", "5s");
            try (AutoCloseable c = Containers.useConfig(config);
                    WeldContainer container = boot(path)) {
                MilvusClientV2 injected = client(container, "flaky");
                String collection = "recovers_" + path.name().toLowerCase();
                VectorRoundTrip.createAndFill(injected, collection);
                assertThat(probe(container).status).isEqualTo("UP");

                flaky.stop();
                assertThat(probe(container).data.get("flaky")).startsWith("DOWN " + flaky.address());
                assertThat(probe(container).data.get("flaky")).startsWith("DOWN " + flaky.address());

                flaky.restart();
                Probe back = probe(container);
                assertThat(back.status).isEqualTo("UP");
                assertThat(back.data.get("flaky")).startsWith("UP " + flaky.address());
                assertThat(VectorRoundTrip.exists(injected, collection))
                        .as("kept by the server")
                        .isTrue();
                VectorRoundTrip.createAndFill(injected, collection + "_again");
                assertThat(VectorRoundTrip.nearest(injected, collection + "_again", 3))
                        .isEqualTo(3);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Path.class)
    void aConnectedServerThatRefusesIsDownAtOnceWithTheReasonNotAfterTheBound(Path path) throws Exception {
        try (MilvusLiteServer refusing =
                MilvusLiteServer.start("refusing-" + path.name().toLowerCase())) {
            Map<String, String> config = new LinkedHashMap<>();
            alias(config, "refusing", refusing.uri());
            // a bound no probe of a refusing server may wait: its reason would say "no answer within"
            config.put("milvus.health.timeout", "60s");
            try (AutoCloseable c = Containers.useConfig(config);
                    WeldContainer container = boot(path)) {
                assertThat(client(container, "refusing").getServerVersion()).isNotBlank();
                awaitProbe(container, p -> p.status.equals("UP"));
                refusing.stop();
                // the first probe meets the connection closing (gRPC's words vary), the next ones a
                // channel that failed to reconnect
                assertThat(probe(container).data.get("refusing"))
                        .startsWith("DOWN " + refusing.address() + " ")
                        .doesNotContain("no answer within");
                for (int i = 1; i <= 3; i++) {
                    assertThat(probe(container).data.get("refusing"))
                            .as("probe %s", i)
                            .startsWith("DOWN " + refusing.address() + " ")
                            .containsPattern("reason=.*(?i)refused")
                            .doesNotContain("no answer within");
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Path.class)
    void aNeverConnectedAliasWhoseServerRefusesIsDownAtOnceAfterItsFirstAttempt(Path path) throws Exception {
        int closedPort;
        try (SilentListener gone = SilentListener.open()) {
            closedPort = gone.port();
        }
        Map<String, String> config = new LinkedHashMap<>();
        alias(config, "refusing", "http://127.0.0.1:" + closedPort);
        config.put("milvus.connections.refusing.connect-timeout", "3s");
        config.put("milvus.health.timeout", "500ms");
        try (AutoCloseable c = Containers.useConfig(config);
                WeldContainer container = boot(path)) {
            // each attempt to connect takes connect-timeout (3 s), longer than the bound: until one
            // failed the alias reads "connecting"; then it reads the failure at once, every probe,
            // while the next attempt runs in the background
            awaitProbe(container, p -> p.data.get("refusing").contains("cannot connect"));
            for (int i = 0; i < 5; i++) {
                assertThat(probe(container).data.get("refusing"))
                        .as("probe %s", i)
                        .startsWith("DOWN 127.0.0.1:" + closedPort + " ")
                        .contains("reason=cannot connect")
                        .doesNotContain("not ready within");
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Path.class)
    void anOutageSeenByCallsAndProbesLogsOneWarningAndOneInfo(Path path) throws Exception {
        try (MilvusLiteServer flaky =
                MilvusLiteServer.start("outage-" + path.name().toLowerCase())) {
            Map<String, String> config = new LinkedHashMap<>();
            alias(config, "flaky", flaky.uri());
            config.put("milvus.connections.flaky.connect-timeout", "1s");
            config.put("milvus.health.timeout", "5s");
            try (AutoCloseable c = Containers.useConfig(config);
                    WeldContainer container = boot(path);
                    LogCapture log = LogCapture.everything()) {
                MilvusClientV2 injected = client(container, "flaky");
                assertThat(injected.getServerVersion()).isNotBlank();
                assertThat(probe(container).status).isEqualTo("UP");

                flaky.stop();
                assertThat(probe(container).status).isEqualTo("DOWN");
                for (int i = 0; i < 2; i++) { // calls that wait connect-timeout and fail: the calls' outage
                    org.assertj.core.api.Assertions.assertThatThrownBy(injected::getServerVersion)
                            .hasMessageContaining(
                                    "Milvus alias 'flaky': the server at " + flaky.address() + " is unavailable");
                }
                flaky.restart();
                awaitProbe(container, p -> p.status.equals("UP"));
                assertThat(injected.getServerVersion()).isNotBlank();

                List<String> ours = log.lines("io.github.milvuscdi").stream()
                        .filter(line -> line.contains("'flaky'"))
                        // not the opening and closing lines (a reason may say "...ClosedChannelException")
                        .filter(line -> !line.contains("Opened Milvus connection")
                                && !line.contains("Closed Milvus connection"))
                        .filter(line -> !line.contains("sends credentials")) // at the first use, not the outage
                        .toList();
                assertThat(ours)
                        .as("our lines about the outage, from the calls and the readiness probe together")
                        .satisfiesExactly(
                                warning -> assertThat(warning).startsWith("WARNING"),
                                info -> assertThat(info).startsWith("INFO"));
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Path.class)
    void anAliasWithHealthDisabledIsLeftOut(Path path) throws Exception {
        try (SilentListener blackhole = SilentListener.open()) {
            Map<String, String> config = new LinkedHashMap<>();
            alias(config, "search", SEARCH.server().uri());
            alias(config, "quiet", blackhole.uri());
            config.put("milvus.connections.quiet.health.enabled", "false");
            try (AutoCloseable c = Containers.useConfig(config);
                    WeldContainer container = boot(path)) {
                Probe probe = awaitProbe(container, p -> p.status.equals("UP"));
                assertThat(probe.data).containsOnlyKeys("search");
                assertThat(blackhole.acceptedConnections())
                        .as("the left-out alias is not contacted")
                        .isZero();
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Path.class)
    void theGlobalSwitchTurnsTheCheckOffAndNothingIsProbed(Path path) throws Exception {
        try (SilentListener blackhole = SilentListener.open()) {
            Map<String, String> config = new LinkedHashMap<>();
            alias(config, "search", SEARCH.server().uri());
            alias(config, "hung", blackhole.uri());
            config.put("milvus.health.enabled", "false");
            try (AutoCloseable c = Containers.useConfig(config);
                    WeldContainer container = boot(path)) {
                Probe off = probe(container);
                assertThat(off.status).isEqualTo("UP");
                assertThat(off.json).contains("\"milvus.health.enabled\":false");
                assertThat(off.data).isEmpty();
                assertThat(blackhole.acceptedConnections())
                        .as("nothing is probed")
                        .isZero();
            }
            config.put("milvus.health.enabled", "true");
            config.put("milvus.health.timeout", "1s");
            try (AutoCloseable c = Containers.useConfig(config);
                    WeldContainer container = boot(path)) {
                Probe probe = probe(container);
                assertThat(probe.status).isEqualTo("DOWN");
                assertThat(probe.data).containsOnlyKeys("hung", "search");
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Path.class)
    void credentialsInTheUriOrAsUserAndPasswordNeverShowEvenWhenDown(Path path) throws Exception {
        int closedPort;
        try (SilentListener probe = SilentListener.open()) {
            closedPort = probe.port();
        }
        Map<String, String> config = new LinkedHashMap<>();
        config.put("milvus.connections.inuri.uri", "http://root:" + SECRETS.password() + "@127.0.0.1:" + closedPort);
        config.put("milvus.connections.inuri.connect-timeout", "1s");
        config.put("milvus.connections.userpass.uri", SEARCH.server().uri());
        config.put("milvus.connections.userpass.user", "root");
        config.put("milvus.connections.userpass.password", SECRETS.password());
        config.put("milvus.connections.bytoken.uri", "http://127.0.0.1:" + closedPort);
        config.put("milvus.connections.bytoken.token", SECRETS.token());
        config.put("milvus.connections.bytoken.connect-timeout", "1s");
        config.put("milvus.health.timeout", "2s");
        try (AutoCloseable c = Containers.useConfig(config);
                WeldContainer container = boot(path)) {
            Probe probe = awaitProbe(
                    container, p -> p.data.getOrDefault("userpass", "").startsWith("UP "));
            assertThat(probe.data).containsOnlyKeys("bytoken", "inuri", "userpass");
            assertThat(probe.data.get("inuri")).startsWith("DOWN 127.0.0.1:" + closedPort);
            assertThat(probe.data.get("bytoken")).startsWith("DOWN 127.0.0.1:" + closedPort);
            probe(container);
        }
    }

    // ---------------------------------------------------------------- helpers

    /** Puts an alias's uri, and a user, password and token that milvus-lite ignores and no probe may show. */
    private static void alias(Map<String, String> config, String alias, String uri) {
        config.put("milvus.connections." + alias + ".uri", uri);
        config.put("milvus.connections." + alias + ".user", "root");
        config.put("milvus.connections." + alias + ".password", SECRETS.password());
        config.put("milvus.connections." + alias + ".token", SECRETS.token());
    }

    private static WeldContainer boot(Path path, Class<?>... beans) {
        List<Class<?>> all = new ArrayList<>(
                List.of(MilvusReadinessCheck.class, SmallRyeHealthReporter.class, AsyncHealthCheckFactory.class));
        all.addAll(List.of(beans));
        return Containers.boot(path, all.toArray(new Class<?>[0]));
    }

    private static MilvusClientV2 client(WeldContainer container, String alias) {
        return container
                .select(MilvusClientV2.class, MilvusConnection.Literal.of(alias))
                .get();
    }

    /** The {@code milvus} check of one readiness probe, as SmallRye Health serves it. */
    private record Probe(String json, String status, Map<String, String> data) {
        @Override
        public String toString() {
            return json;
        }
    }

    private Probe probe(WeldContainer container) {
        String json = container
                .select(SmallRyeHealthReporter.class)
                .get()
                .getReadiness()
                .getPayload()
                .toString();
        probed.add(json);
        ReadinessReport.Check check = ReadinessReport.parse(json).check(MilvusReadinessCheck.NAME);
        return new Probe(json, check.status(), check.entries());
    }

    /** Probes until the answer is as expected, within {@link #PATIENCE}. */
    private Probe awaitProbe(WeldContainer container, Predicate<Probe> expected) {
        return ReadinessReport.awaitStatus(() -> probe(container), expected, PATIENCE);
    }

    private static long readinessThreadsConnecting() {
        return Thread.getAllStackTraces().entrySet().stream()
                .filter(thread ->
                        thread.getKey().isAlive() && thread.getKey().getName().startsWith("milvus-readiness-"))
                .filter(thread -> java.util.Arrays.stream(thread.getValue())
                        .anyMatch(frame -> frame.getClassName().endsWith(".client.AliasConnection")))
                .count();
    }

    private static String quote(String text) {
        return java.util.regex.Pattern.quote(text);
    }
}
