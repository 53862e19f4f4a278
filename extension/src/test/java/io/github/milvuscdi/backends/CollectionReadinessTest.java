package io.github.milvuscdi.backends;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.milvuscdi.MilvusConnection;
import io.github.milvuscdi.harness.LogCapture;
import io.github.milvuscdi.launcher.MilvusBackend;
import io.github.milvuscdi.launcher.MilvusTestServer;
import io.github.milvuscdi.testing.Await;
import io.github.milvuscdi.testing.VectorRoundTrip;
import io.milvus.v2.client.MilvusClientV2;
import io.milvus.v2.service.collection.request.LoadCollectionReq;
import io.milvus.v2.service.collection.request.ReleaseCollectionReq;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.jboss.weld.environment.se.WeldContainer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Readiness that knows the collections ({@code health.collections}): a collection missing, created,
 * released and loaded again is seen at each step; and {@code collections.load=true} loads a released
 * collection when the alias connects and again after the server restarted. Each state is waited for
 * with a bound.
 */
class CollectionReadinessTest {

    private static final Duration SEEN = Duration.ofSeconds(60);
    /** Generous: Milvus serves again only once its previous sessions expired (10 s), on a busy machine. */
    private static final Duration BACK_UP = Duration.ofSeconds(120);

    @Dependent
    static class Application {
        @Inject
        @MilvusConnection("notes")
        MilvusClientV2 notes;

        @Inject
        @Readiness
        HealthCheck readiness;
    }

    @ParameterizedTest
    @EnumSource(MilvusBackend.class)
    void aCollectionMissingThenCreatedThenReleasedThenLoadedIsSeenAtEachStep(MilvusBackend backend) throws Exception {
        try (MilvusTestServer server = backend.start("collections")) {
            Map<String, String> config = config(server, backend, "articles");
            try (AutoCloseable c = Backends.useConfig(config);
                    WeldContainer container = Backends.boot(Application.class)) {
                Application application = container.select(Application.class).get();
                String prefix = "DOWN " + server.address() + " db=default version=";

                HealthCheckResponse missing = await(application.readiness, SEEN, down("does not exist"));
                assertThat(entry(missing))
                        .startsWith(prefix)
                        .endsWith(" collections=[articles does not exist]"
                                + " reason=collections not ready: articles does not exist");
                quotedOnMilvusLite(backend, missing, server);

                VectorRoundTrip.createAndFill(application.notes, "articles");
                HealthCheckResponse loaded =
                        await(application.readiness, SEEN, r -> r.getStatus() == HealthCheckResponse.Status.UP);
                assertThat(entry(loaded))
                        .startsWith("UP " + server.address() + " db=default version=")
                        .endsWith(" collections=[articles loaded]");
                quotedOnMilvusLite(backend, loaded, server);

                application.notes.releaseCollection(ReleaseCollectionReq.builder()
                        .collectionName("articles")
                        .build());
                HealthCheckResponse released = await(application.readiness, SEEN, down("not loaded"));
                assertThat(entry(released))
                        .startsWith(prefix)
                        .endsWith(
                                " collections=[articles not loaded] reason=collections not ready: articles not loaded");
                quotedOnMilvusLite(backend, released, server);

                application.notes.loadCollection(
                        LoadCollectionReq.builder().collectionName("articles").build());
                HealthCheckResponse again =
                        await(application.readiness, SEEN, r -> r.getStatus() == HealthCheckResponse.Status.UP);
                assertThat(entry(again)).endsWith(" collections=[articles loaded]");
            }
        }
    }

    @ParameterizedTest
    @EnumSource(MilvusBackend.class)
    void collectionsLoadLoadsAReleasedCollectionOnConnectingAndAfterARestart(MilvusBackend backend) throws Exception {
        try (MilvusTestServer server = backend.start("collections-load")) {
            Map<String, String> config = config(server, backend, "articles");
            config.put("milvus.connections.notes.collections.load", "true");
            config.put("milvus.connections.setup.uri", server.uri());
            Backends.tune(config, "setup", backend);
            try (AutoCloseable c = Backends.useConfig(config);
                    WeldContainer container = Backends.boot(Application.class);
                    LogCapture log = LogCapture.ours()) {
                MilvusClientV2 setup = container
                        .select(MilvusClientV2.class, MilvusConnection.Literal.of("setup"))
                        .get();
                VectorRoundTrip.createAndFill(setup, "articles");
                release(setup);

                Application application = container.select(Application.class).get();
                application.notes.getServerVersion(); // connects: the loader finds the collection released
                HealthCheckResponse loaded =
                        await(application.readiness, SEEN, r -> r.getStatus() == HealthCheckResponse.Status.UP);
                assertThat(entry(loaded)).endsWith(" collections=[articles loaded]");
                // the loader logs once the server answered its load: readiness may see the collection loaded first
                String loadedOnConnecting = "Milvus alias 'notes': loading articles, not loaded on the server"
                        + " (connected; milvus.connections.notes.collections.load=true)";
                Await.until(() -> log.messages().contains(loadedOnConnecting), SEEN, "the loader's log line");

                release(application.notes);
                await(application.readiness, SEEN, down("not loaded"));
                server.restart();
                HealthCheckResponse back =
                        await(application.readiness, BACK_UP, r -> r.getStatus() == HealthCheckResponse.Status.UP);
                assertThat(entry(back)).endsWith(" collections=[articles loaded]");
                String loadedAgain = "Milvus alias 'notes': loading articles, not loaded on the server"
                        + " (connection back; milvus.connections.notes.collections.load=true)";
                Await.until(() -> log.messages().contains(loadedAgain), SEEN, "the loader's log line");
                assertThat(log.messages()).containsOnlyOnce(loadedAgain);
                ReadinessPage.assertQuotes(loadedAgain);
            }
        }
    }

    @org.junit.jupiter.api.Test
    void sixteenAliasesWithFourCollectionsEachAnswerWithinTheBound() throws Exception {
        try (MilvusTestServer server = MilvusBackend.MILVUS_LITE.start("collections-many")) {
            Map<String, String> config = new LinkedHashMap<>();
            config.put("milvus.connections.notes.uri", server.uri());
            Backends.tune(config, "notes", MilvusBackend.MILVUS_LITE);
            for (int alias = 1; alias <= 16; alias++) {
                String prefix = "milvus.connections.alias" + alias + ".";
                config.put(prefix + "uri", server.uri());
                config.put(prefix + "health.collections", "c1,c2,c3,c4");
                Backends.tune(config, "alias" + alias, MilvusBackend.MILVUS_LITE);
            }
            config.put("milvus.health.timeout", "2s");
            try (AutoCloseable c = Backends.useConfig(config);
                    WeldContainer container = Backends.boot(Application.class)) {
                Application application = container.select(Application.class).get();
                for (String collection : new String[] {"c1", "c2", "c3", "c4"}) {
                    VectorRoundTrip.createAndFill(application.notes, collection);
                }
                await(application.readiness, SEEN, r -> r.getStatus() == HealthCheckResponse.Status.UP);

                for (int probe = 0; probe < 5; probe++) {
                    long started = System.nanoTime();
                    HealthCheckResponse response = application.readiness.call();
                    Duration took = Duration.ofNanos(System.nanoTime() - started);

                    assertThat(took)
                            .as("milvus.health.timeout 2 s (plus a little), with 64 collections asked")
                            .isLessThan(Duration.ofMillis(2600));
                    assertThat(response.getStatus())
                            .as("every alias and collection answered in time: %s", response.getData())
                            .isEqualTo(HealthCheckResponse.Status.UP);
                    assertThat(response.getData().orElseThrow()).hasSize(17);
                    assertThat(String.valueOf(response.getData().orElseThrow().get("alias16")))
                            .endsWith(" collections=[c1 loaded, c2 loaded, c3 loaded, c4 loaded]");
                }
            }
        }
    }

    /** docs/readiness.md quotes the entries milvus-lite gives (the page names its version). */
    private static void quotedOnMilvusLite(
            MilvusBackend backend, HealthCheckResponse response, MilvusTestServer server) {
        if (backend == MilvusBackend.MILVUS_LITE) {
            ReadinessPage.assertQuotesEntry(entry(response), server.address());
        }
    }

    private static void release(MilvusClientV2 client) {
        client.releaseCollection(
                ReleaseCollectionReq.builder().collectionName("articles").build());
    }

    private static Map<String, String> config(MilvusTestServer server, MilvusBackend backend, String collections) {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("milvus.connections.notes.uri", server.uri());
        config.put("milvus.connections.notes.health.collections", collections);
        config.put("milvus.health.timeout", "3s");
        Backends.tune(config, "notes", backend);
        return config;
    }

    private static Predicate<HealthCheckResponse> down(String collectionState) {
        return response -> response.getStatus() == HealthCheckResponse.Status.DOWN
                && String.valueOf(response.getData().orElseThrow().get("notes"))
                        .contains("articles " + collectionState + "]");
    }

    private static String entry(HealthCheckResponse response) {
        Object value = response.getData().orElseThrow().get("notes");
        assertThat(value)
                .as("the entry of alias notes in %s", response.getData())
                .isNotNull();
        return value.toString();
    }

    private static HealthCheckResponse await(
            HealthCheck check, Duration bound, Predicate<HealthCheckResponse> condition) {
        return Await.until(check::call, condition, bound, last -> last.getStatus() + " " + last.getData());
    }
}
