package io.github.milvuscdi.internal.cdi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.milvuscdi.ConfiguringMilvusClient;
import io.github.milvuscdi.MilvusConnection;
import io.github.milvuscdi.MilvusConnections;
import io.github.milvuscdi.harness.SilentListener;
import io.github.milvuscdi.internal.cdi.Containers.Path;
import io.github.milvuscdi.testing.MilvusLiteExtension;
import io.github.milvuscdi.testing.VectorRoundTrip;
import io.milvus.v2.client.ConnectConfig;
import io.milvus.v2.client.MilvusClientV2;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.jboss.weld.environment.se.WeldContainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code @MilvusConnection} on Weld, through the portable extension and through the
 * build-compatible one, against two real milvus-lite servers.
 */
class ExtensionTest {

    @RegisterExtension
    static final MilvusLiteExtension SEARCH = new MilvusLiteExtension("search");

    @RegisterExtension
    static final MilvusLiteExtension ARCHIVE = new MilvusLiteExtension("archive");

    /** A bean holding two aliases and the default one, as an application would. */
    @Dependent
    static class TwoAliases {
        @Inject
        @MilvusConnection("search")
        MilvusClientV2 search;

        @Inject
        @MilvusConnection("archive")
        MilvusClientV2 archive;

        @Inject
        MilvusClientV2 unqualified;

        @Inject
        @MilvusConnection("search")
        Instance<MilvusClientV2> lazySearch;

        @Inject
        @Any
        Instance<MilvusClientV2> every;

        @Inject
        MilvusConnections connections;
    }

    /** Injects one alias lazily, so a test decides when it is first used. */
    @Dependent
    static class LazyUser {
        @Inject
        @MilvusConnection("lazy")
        Instance<MilvusClientV2> lazy;
    }

    /** Injects an alias that nothing configures. */
    @Dependent
    static class Unconfigured {
        @Inject
        @MilvusConnection("ghost")
        MilvusClientV2 ghost;
    }

    /** Records the customization events and redirects alias "redirected" to the archive server. */
    @ApplicationScoped
    static class Customizer {
        static final List<String> SEEN = new CopyOnWriteArrayList<>();
        static volatile String redirectTo;

        void everyAlias(@Observes ConfiguringMilvusClient event) {
            SEEN.add("any:" + event.alias());
        }

        void redirected(@Observes @MilvusConnection("redirected") ConfiguringMilvusClient event) {
            SEEN.add("redirected:" + event.alias());
            event.builder().uri(redirectTo);
        }
    }

    private static Map<String, String> twoServers() {
        Map<String, String> config = new HashMap<>();
        config.put("milvus.connections.search.uri", SEARCH.server().uri());
        config.put("milvus.connections.archive.address", ARCHIVE.server().address());
        config.put("milvus.connections.default.uri", SEARCH.server().uri());
        return config;
    }

    @ParameterizedTest
    @EnumSource(Path.class)
    void twoAliasesOnTwoServersEachSeeOnlyTheirOwnCollection(Path path) throws Exception {
        try (AutoCloseable config = Containers.useConfig(twoServers());
                WeldContainer container = Containers.boot(path, TwoAliases.class)) {
            TwoAliases bean = container.select(TwoAliases.class).get();
            String collection = "two_aliases_" + path.name().toLowerCase();
            VectorRoundTrip.createAndFill(bean.search, collection + "_s");
            VectorRoundTrip.createAndFill(bean.archive, collection + "_a");

            assertThat(VectorRoundTrip.nearest(bean.search, collection + "_s", 2))
                    .isEqualTo(2);
            assertThat(VectorRoundTrip.nearest(bean.archive, collection + "_a", 3))
                    .isEqualTo(3);
            assertThat(VectorRoundTrip.exists(bean.search, collection + "_a")).isFalse();
            assertThat(VectorRoundTrip.exists(bean.archive, collection + "_s")).isFalse();
        }
    }

    @ParameterizedTest
    @EnumSource(Path.class)
    void unqualifiedIsDefaultAndInstanceLookupsWork(Path path) throws Exception {
        try (AutoCloseable config = Containers.useConfig(twoServers());
                WeldContainer container = Containers.boot(path, TwoAliases.class)) {
            TwoAliases bean = container.select(TwoAliases.class).get();
            MilvusClientV2 defaultClient = container
                    .select(MilvusClientV2.class, MilvusConnection.Literal.DEFAULT)
                    .get();
            assertThat(bean.unqualified).isSameAs(defaultClient).isNotSameAs(bean.search);
            assertThat(bean.lazySearch.get()).isSameAs(bean.search);
            assertThat(bean.every.stream().count()).isEqualTo(3);
            assertThat(bean.every.select(MilvusConnection.Literal.of("archive")).get())
                    .isSameAs(bean.archive);
            assertThat(bean.connections.connect("search"))
                    .as("the registry returns the injected client")
                    .isSameAs(bean.search);
            assertThat(bean.connections.listConnections()).containsOnlyKeys("archive", "default", "search");
        }
    }

    @ParameterizedTest
    @EnumSource(Path.class)
    void containerAliasesCannotBeDisconnectedOrRemoved(Path path) throws Exception {
        try (AutoCloseable config = Containers.useConfig(twoServers());
                WeldContainer container = Containers.boot(path, TwoAliases.class)) {
            TwoAliases bean = container.select(TwoAliases.class).get();
            String expected = "Milvus alias 'search' cannot be disconnected: it belongs to the container "
                    + "(configured under milvus.connections.search.* or injected with "
                    + "@MilvusConnection(\"search\")), and beans hold its client; the container closes it when the "
                    + "application stops. Use another alias for connections you manage yourself.";
            assertThatThrownBy(() -> bean.connections.disconnect("search")).hasMessage(expected);
            assertThatThrownBy(() -> bean.connections.removeConnection("search"))
                    .hasMessage(expected.replace("be disconnected", "be removed"));
            assertThatThrownBy(() -> bean.connections.close())
                    .hasMessageStartingWith("The container's MilvusConnections is closed by the container");
            assertThat(bean.search.getServerVersion()).isNotBlank();

            MilvusClientV2 own = bean.connections.connect(
                    "mine", Map.of("uri", ARCHIVE.server().uri()));
            bean.connections.removeConnection("mine");
            assertThat(own.clientIsReady()).isFalse();
        }
    }

    @ParameterizedTest
    @EnumSource(Path.class)
    void anInjectedAliasWithoutConfigurationFailsTheDeploymentNamingTheKey(Path path) throws Exception {
        try (AutoCloseable config = Containers.useConfig(Map.of())) {
            assertThatThrownBy(() -> Containers.boot(path, Unconfigured.class).close())
                    .hasStackTraceContaining("alias 'ghost': no location is configured; set "
                            + "milvus.connections.ghost.uri (e.g. http://localhost:19530), or "
                            + "milvus.connections.ghost.address (host:port), or milvus.connections.ghost.host and "
                            + "milvus.connections.ghost.port");
        }
    }

    @Test
    void onTheBuildCompatiblePathTheMissingLocationSaysHowToKeepDevServicesForTests() throws Exception {
        String advice = "; on Quarkus, where Dev Services give an alias with no location a milvus-lite in dev mode"
                + " and tests, set it for the packaged application alone:"
                + " %prod.milvus.connections.ghost.uri=http://localhost:19530 in application.properties, overridden"
                + " where the application runs by the environment variable MILVUS_CONNECTIONS_GHOST_URI";
        try (AutoCloseable config = Containers.useConfig(Map.of())) {
            assertThatThrownBy(() -> Containers.boot(Path.BUILD_COMPATIBLE, Unconfigured.class)
                            .close())
                    .hasStackTraceContaining("milvus.connections.ghost.port" + advice);
            assertThatThrownBy(() ->
                            Containers.boot(Path.PORTABLE, Unconfigured.class).close())
                    .satisfies(failure -> assertThat(stackTrace(failure)).doesNotContain("%prod."));
        }
    }

    private static String stackTrace(Throwable failure) {
        java.io.StringWriter text = new java.io.StringWriter();
        failure.printStackTrace(new java.io.PrintWriter(text));
        return text.toString();
    }

    @ParameterizedTest
    @EnumSource(Path.class)
    void everyBadKeyOfEveryAliasInOneFailureWithoutSecrets(Path path) throws Exception {
        Map<String, String> bad = Map.of(
                "milvus.connections.one.uri", "localhost:19530",
                "milvus.connections.one.password", "pa55-one",
                "milvus.connections.one.user", "root",
                "milvus.connections.two.port", "99999",
                "milvus.connections.two.token", "t0ken-two",
                "milvus.connections.two.secure", "maybe");
        try (AutoCloseable config = Containers.useConfig(bad)) {
            Throwable failure = org.assertj.core.api.Assertions.catchThrowable(
                    () -> Containers.boot(path, TwoAliasesFree.class).close());
            assertThat(failure).isNotNull();
            String text = stackText(failure);
            assertThat(text)
                    .contains("Invalid Milvus configuration, 3 problems:")
                    .contains("alias 'one': milvus.connections.one.uri='localhost:19530' has no scheme")
                    .contains("alias 'two': milvus.connections.two.port='99999' is not a port")
                    .contains("alias 'two': milvus.connections.two.secure='maybe' is not a boolean")
                    .doesNotContain("pa55-one")
                    .doesNotContain("t0ken-two");
        }
    }

    @ParameterizedTest
    @EnumSource(Path.class)
    void badGlobalHealthKeysFailTheDeploymentToo(Path path) throws Exception {
        try (AutoCloseable config = Containers.useConfig(Map.of(
                "milvus.health.enabled", "sometimes",
                "milvus.health.timeout", "soon",
                "milvus.connections.search.port", "0"))) {
            Throwable failure = org.assertj.core.api.Assertions.catchThrowable(
                    () -> Containers.boot(path, TwoAliasesFree.class).close());
            assertThat(failure).isNotNull();
            assertThat(stackText(failure))
                    .contains("Invalid Milvus configuration, 3 problems:")
                    .contains("alias 'search': milvus.connections.search.port='0' is not a port")
                    .contains("milvus.health.enabled='sometimes' is not a boolean; expected true or false")
                    .contains("milvus.health.timeout='soon' is not a positive duration; expected an ISO-8601 "
                            + "duration (PT10S) or a number with ms, s, m or h (500ms, 10s); a bare number is seconds");
        }
    }

    /** A bean that injects nothing from Milvus. */
    @Dependent
    static class TwoAliasesFree {}

    @ParameterizedTest
    @EnumSource(Path.class)
    void bootingMakesNoConnectionAndFirstUseMakesOne(Path path) throws Exception {
        try (SilentListener blackhole = SilentListener.open();
                AutoCloseable config = Containers.useConfig(Map.of(
                        "milvus.connections.lazy.uri",
                        blackhole.uri(),
                        "milvus.connections.lazy.connect-timeout",
                        "1s"));
                WeldContainer container = Containers.boot(path, LazyUser.class)) {
            LazyUser bean = container.select(LazyUser.class).get();
            assertThat(blackhole.acceptedConnections())
                    .as("connections made while booting")
                    .isZero();

            assertThatThrownBy(() -> bean.lazy.get())
                    .hasStackTraceContaining("Milvus alias 'lazy': cannot connect to " + blackhole.address());
            assertThat(blackhole.awaitAcceptedConnections(1, Duration.ofSeconds(10)))
                    .isTrue();
        }
    }

    @ParameterizedTest
    @EnumSource(Path.class)
    void connectOnStartupFailsTheDeploymentWhenNothingListens(Path path) throws Exception {
        int port;
        try (SilentListener probe = SilentListener.open()) {
            port = probe.port();
        }
        try (AutoCloseable config = Containers.useConfig(Map.of(
                "milvus.connections.eager.uri", "http://127.0.0.1:" + port,
                "milvus.connections.eager.connect-timeout", "1s",
                "milvus.connections.eager.connect-on-startup", "true"))) {
            Throwable failure = org.assertj.core.api.Assertions.catchThrowable(
                    () -> Containers.boot(path, TwoAliasesFree.class).close());
            assertThat(failure).isNotNull();
            assertThat(stackText(failure)).contains("Milvus alias 'eager': cannot connect to 127.0.0.1:" + port);
        }
    }

    @ParameterizedTest
    @EnumSource(Path.class)
    void connectOnStartupConnectsWhileBooting(Path path) throws Exception {
        try (AutoCloseable config = Containers.useConfig(Map.of(
                        "milvus.connections.eager.uri",
                        SEARCH.server().uri(),
                        "milvus.connections.eager.connect-on-startup",
                        "true"));
                WeldContainer container = Containers.boot(path, TwoAliasesFree.class)) {
            assertThat(container.select(MilvusConnections.class).get().hasConnection("eager"))
                    .isTrue();
        }
    }

    @ParameterizedTest
    @EnumSource(Path.class)
    void shutdownClosesEveryCreatedClientAndCreatesNoOther(Path path) throws Exception {
        MilvusClientV2 search;
        MilvusClientV2 runtimeAlias;
        try (SilentListener unused = SilentListener.open();
                AutoCloseable config = Containers.useConfig(Map.of(
                        "milvus.connections.search.uri", SEARCH.server().uri(),
                        "milvus.connections.unused.uri", unused.uri()))) {
            WeldContainer container = Containers.boot(path, TwoAliasesFree.class);
            search = container
                    .select(MilvusClientV2.class, MilvusConnection.Literal.of("search"))
                    .get();
            runtimeAlias = container
                    .select(MilvusConnections.class)
                    .get()
                    .connect("added", Map.of("uri", ARCHIVE.server().uri()));
            assertThat(search.clientIsReady()).isTrue();
            container.shutdown();

            assertThat(search.clientIsReady())
                    .as("the injected client is closed")
                    .isFalse();
            assertThat(runtimeAlias.clientIsReady())
                    .as("a client added at run time is closed")
                    .isFalse();
            assertThat(unused.acceptedConnections())
                    .as("the unused alias never connected")
                    .isZero();
        }
    }

    @ParameterizedTest
    @EnumSource(Path.class)
    void theCustomizationHookRunsOncePerAliasAndTakesEffect(Path path) throws Exception {
        Customizer.SEEN.clear();
        Customizer.redirectTo = ARCHIVE.server().uri();
        try (SilentListener nowhere = SilentListener.open();
                AutoCloseable config = Containers.useConfig(Map.of(
                        "milvus.connections.search.uri", SEARCH.server().uri(),
                        "milvus.connections.redirected.uri", nowhere.uri(),
                        "milvus.connections.redirected.connect-timeout", "2s"));
                WeldContainer container = Containers.boot(path, Customizer.class)) {
            MilvusClientV2 redirected = container
                    .select(MilvusClientV2.class, MilvusConnection.Literal.of("redirected"))
                    .get();
            MilvusClientV2 search = container
                    .select(MilvusClientV2.class, MilvusConnection.Literal.of("search"))
                    .get();
            container
                    .select(MilvusClientV2.class, MilvusConnection.Literal.of("search"))
                    .get();

            String collection = "customized_" + path.name().toLowerCase();
            VectorRoundTrip.createAndFill(redirected, collection);
            assertThat(VectorRoundTrip.exists(search, collection))
                    .as("not on the search server")
                    .isFalse();
            MilvusClientV2 archive = new MilvusClientV2(
                    ConnectConfig.builder().uri(ARCHIVE.server().uri()).build());
            try {
                assertThat(VectorRoundTrip.exists(archive, collection))
                        .as("on the archive server")
                        .isTrue();
            } finally {
                archive.close(1);
            }
            assertThat(nowhere.acceptedConnections())
                    .as("the configured address was replaced")
                    .isZero();
            assertThat(Customizer.SEEN)
                    .containsExactlyInAnyOrder("any:redirected", "redirected:redirected", "any:search");
        }
    }

    @ParameterizedTest
    @EnumSource(Path.class)
    void thirtyTwoThreadsLookingUpOneAliasAtOnceGetOneClient(Path path) throws Exception {
        try (AutoCloseable config = Containers.useConfig(twoServers());
                WeldContainer container = Containers.boot(path, TwoAliasesFree.class)) {
            int threads = 32;
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                CountDownLatch start = new CountDownLatch(1);
                List<Future<MilvusClientV2>> results = new ArrayList<>();
                for (int i = 0; i < threads; i++) {
                    results.add(pool.submit(() -> {
                        start.await();
                        return container
                                .select(MilvusClientV2.class, MilvusConnection.Literal.of("archive"))
                                .get();
                    }));
                }
                start.countDown();
                Set<MilvusClientV2> distinct = Collections.newSetFromMap(new IdentityHashMap<>());
                for (Future<MilvusClientV2> result : results) {
                    distinct.add(result.get(60, TimeUnit.SECONDS));
                }
                assertThat(distinct).hasSize(1);
            } finally {
                pool.shutdownNow();
            }
        }
    }

    static String stackText(Throwable failure) {
        StringBuilder text = new StringBuilder();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            text.append(t).append('\n');
            for (Throwable suppressed : t.getSuppressed()) {
                text.append(suppressed).append('\n');
            }
        }
        return text.toString();
    }
}
