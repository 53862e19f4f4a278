package io.github.milvuscdi.backends;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.milvuscdi.MilvusConnection;
import io.github.milvuscdi.launcher.MilvusBackend;
import io.github.milvuscdi.launcher.MilvusTestServer;
import io.github.milvuscdi.testing.Await;
import io.github.milvuscdi.testing.VectorRoundTrip;
import io.milvus.v2.client.MilvusClientV2;
import io.milvus.v2.service.collection.request.ReleaseCollectionReq;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.eclipse.microprofile.health.Startup;
import org.jboss.weld.environment.se.WeldContainer;
import org.junit.jupiter.api.Test;

/**
 * The {@code @Startup} check ({@code milvus-startup}, for Kubernetes' startupProbe): DOWN while a listed
 * collection is missing, UP once it is loaded, and UP from then on, while readiness follows the collection.
 * Aliases that neither connect on startup nor list collections are not its business.
 */
class StartupCheckTest {

    private static final Duration SEEN = Duration.ofSeconds(60);

    @Dependent
    static class Application {
        @Inject
        @MilvusConnection("notes")
        MilvusClientV2 notes;

        @Inject
        @Startup
        HealthCheck startup;

        @Inject
        @Readiness
        HealthCheck readiness;
    }

    @Test
    void downUntilTheListedCollectionIsLoadedThenUpForGood() throws Exception {
        try (MilvusTestServer server = MilvusBackend.MILVUS_LITE.start("startup")) {
            Map<String, String> config = new LinkedHashMap<>();
            config.put("milvus.connections.notes.uri", server.uri());
            config.put("milvus.connections.notes.health.collections", "articles");
            config.put("milvus.connections.other.uri", server.uri());
            config.put("milvus.health.timeout", "3s");
            Backends.tune(config, "notes", MilvusBackend.MILVUS_LITE);
            Backends.tune(config, "other", MilvusBackend.MILVUS_LITE);
            try (AutoCloseable c = Backends.useConfig(config);
                    WeldContainer container = Backends.boot(Application.class)) {
                Application application = container.select(Application.class).get();

                HealthCheckResponse waiting = Await.until(
                        application.startup::call,
                        r -> String.valueOf(r.getData().orElse(Map.of()).get("notes"))
                                .contains("articles does not exist"),
                        SEEN,
                        last -> last.getStatus() + " " + last.getData());
                assertThat(waiting.getName()).isEqualTo("milvus-startup");
                assertThat(waiting.getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
                assertThat(waiting.getData().orElseThrow()).containsOnlyKeys("notes");

                VectorRoundTrip.createAndFill(application.notes, "articles");
                HealthCheckResponse started = Await.until(
                        application.startup::call,
                        r -> r.getStatus() == HealthCheckResponse.Status.UP,
                        SEEN,
                        last -> last.getStatus() + " " + last.getData());
                assertThat(String.valueOf(started.getData().orElseThrow().get("notes")))
                        .startsWith("UP " + server.address())
                        .endsWith(" collections=[articles loaded]");

                application.notes.releaseCollection(ReleaseCollectionReq.builder()
                        .collectionName("articles")
                        .build());
                Await.until(
                        application.readiness::call,
                        r -> r.getStatus() == HealthCheckResponse.Status.DOWN,
                        SEEN,
                        last -> last.getStatus() + " " + last.getData());
                assertThat(application.startup.call().getStatus())
                        .as("a started application stays started")
                        .isEqualTo(HealthCheckResponse.Status.UP);
            }
        }
    }
}
