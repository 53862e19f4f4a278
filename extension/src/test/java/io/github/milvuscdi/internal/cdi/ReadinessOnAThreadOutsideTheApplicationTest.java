package io.github.milvuscdi.internal.cdi;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.milvuscdi.MilvusConnection;
import io.github.milvuscdi.harness.ReadinessReport;
import io.github.milvuscdi.internal.cdi.Containers.Path;
import io.github.milvuscdi.internal.health.MilvusReadinessCheck;
import io.github.milvuscdi.testing.MilvusLiteExtension;
import io.milvus.v2.client.MilvusClientV2;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.URL;
import java.net.URLClassLoader;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.jboss.weld.environment.se.WeldContainer;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A runtime may call the readiness check on a thread of its own whose context class loader is not
 * the application's, so that {@code ConfigProvider.getConfig()} there finds none of the
 * application's configuration (Payara does). The check still reports every alias the application
 * configures, UP, before any request used it: the configuration was read once, at deployment.
 */
class ReadinessOnAThreadOutsideTheApplicationTest {

    @RegisterExtension
    static final MilvusLiteExtension NOTES = new MilvusLiteExtension("foreign-thread");

    /** Injects the alias, as an application would, without using it. */
    @ApplicationScoped
    static class Notes {
        @Inject
        @MilvusConnection("notes")
        MilvusClientV2 notes;
    }

    @ParameterizedTest
    @EnumSource(Path.class)
    void aThreadThatSeesNoneOfTheApplicationsConfigurationStillSeesItsAliasesUp(Path path) throws Exception {
        Map<String, String> config = Map.of(
                "milvus.connections.notes.uri",
                NOTES.server().uri(),
                "milvus.connections.notes.keep-alive-without-calls",
                "false",
                "milvus.connections.spare.uri",
                NOTES.server().uri(),
                "milvus.connections.spare.keep-alive-without-calls",
                "false");
        try (AutoCloseable c = Containers.useConfig(config);
                WeldContainer container = Containers.boot(path, Notes.class, MilvusReadinessCheck.class);
                URLClassLoader foreign = new URLClassLoader("foreign", new URL[0], null)) {
            MilvusReadinessCheck check = container
                    .select(MilvusReadinessCheck.class, Readiness.Literal.INSTANCE)
                    .get();
            // never used before: the check connects both in the background, so wait for UP, bounded
            HealthCheckResponse response = ReadinessReport.awaitStatus(
                    () -> onThreadWithLoader(foreign, check),
                    r -> r.getStatus() == HealthCheckResponse.Status.UP,
                    Duration.ofSeconds(60));

            Map<String, Object> data = response.getData().orElseThrow();
            assertThat(data).containsOnlyKeys("notes", "spare");
            assertThat(data.get("notes").toString())
                    .startsWith("UP " + NOTES.server().address());
            assertThat(data.get("spare").toString())
                    .startsWith("UP " + NOTES.server().address());
            assertThat(response.getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
        }
    }

    private static HealthCheckResponse onThreadWithLoader(ClassLoader loader, MilvusReadinessCheck check) {
        CompletableFuture<HealthCheckResponse> result = new CompletableFuture<>();
        Thread thread = new Thread(
                () -> {
                    try {
                        result.complete(check.call());
                    } catch (Throwable failed) {
                        result.completeExceptionally(failed);
                    }
                },
                "runtime-health-thread");
        thread.setContextClassLoader(loader);
        thread.start();
        try {
            return result.get(30, TimeUnit.SECONDS);
        } catch (Exception failed) {
            throw new IllegalStateException("the check failed on a foreign thread", failed);
        }
    }
}
