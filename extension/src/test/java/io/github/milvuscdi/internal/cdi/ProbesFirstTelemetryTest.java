package io.github.milvuscdi.internal.cdi;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.milvuscdi.MilvusConnection;
import io.github.milvuscdi.internal.cdi.Containers.Path;
import io.github.milvuscdi.internal.health.MilvusReadinessCheck;
import io.github.milvuscdi.testing.MilvusLiteExtension;
import io.milvus.v2.client.MilvusClientV2;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.sdk.trace.data.SpanData;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import java.util.Map;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.jboss.weld.environment.se.WeldContainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Readiness probes that come before any call of the application (they do on every server) do not
 * resolve the application's {@code OpenTelemetry}: Payara's is an application-scoped bean that
 * resolves to a no-op one, for good, on a thread that serves no application, such as a probe's.
 */
class ProbesFirstTelemetryTest {

    @RegisterExtension
    static final MilvusLiteExtension MILVUS = new MilvusLiteExtension("probes-first");

    private static volatile Thread application;

    @Dependent
    static class Application {
        @Inject
        @MilvusConnection("probed")
        MilvusClientV2 probed;
    }

    /** As Payara's producer: the application's SDK on the application's thread, a no-op one elsewhere. */
    static class PerThreadProducer {
        @Produces
        @ApplicationScoped
        OpenTelemetry openTelemetry() {
            return Thread.currentThread() == application ? InMemoryTelemetry.current() : OpenTelemetry.noop();
        }
    }

    @Test
    void probesBeforeTheFirstCallLeaveTheApplicationsCallsTraced() throws Exception {
        application = Thread.currentThread();
        try (InMemoryTelemetry telemetry = InMemoryTelemetry.start();
                AutoCloseable config = Containers.useConfig(Map.of(
                        "milvus.connections.probed.uri",
                        MILVUS.server().uri(),
                        "milvus.connections.probed.keep-alive-without-calls",
                        "false"));
                WeldContainer container = Containers.boot(
                        Path.PORTABLE, Application.class, PerThreadProducer.class, MilvusReadinessCheck.class)) {
            MilvusReadinessCheck readiness = container
                    .select(MilvusReadinessCheck.class, Readiness.Literal.INSTANCE)
                    .get();
            for (int i = 0; i < 3; i++) {
                assertThat(readiness.call().getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
            }

            container.select(Application.class).get().probed.checkHealth();

            // the alias's Connect span (issue 26) comes too: the first probe connected the alias
            assertThat(telemetry.spansOf("probed"))
                    .as("spans of the application's call after the probes")
                    .extracting(SpanData::getName)
                    .filteredOn(name -> !name.equals("Connect"))
                    .containsExactly("CheckHealth");
        } finally {
            application = null;
        }
    }
}
