package io.github.milvuscdi.internal.cdi;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.milvuscdi.MilvusConnection;
import io.github.milvuscdi.internal.cdi.Containers.Path;
import io.github.milvuscdi.internal.health.MilvusReadinessCheck;
import io.github.milvuscdi.testing.MilvusLiteExtension;
import io.milvus.v2.client.MilvusClientV2;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.trace.data.SpanData;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import java.util.Map;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.jboss.weld.environment.se.WeldContainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Readiness probes (Kubernetes asks every few seconds) make no span and no point of
 * {@code db.client.operation.duration}; the application's own {@code checkHealth}, before and after
 * them, still does.
 */
class ProbesAreNotTracedTelemetryTest {

    private static final int PROBES = 5;

    @RegisterExtension
    static final MilvusLiteExtension MILVUS = new MilvusLiteExtension("probes-untraced");

    @Dependent
    static class Application {
        @Inject
        @MilvusConnection("probed")
        MilvusClientV2 probed;
    }

    @Test
    void probesRecordNothingAndTheApplicationsCheckHealthIsTraced() throws Exception {
        try (InMemoryTelemetry telemetry = InMemoryTelemetry.start();
                AutoCloseable config = Containers.useConfig(Map.of(
                        "milvus.connections.probed.uri",
                        MILVUS.server().uri(),
                        "milvus.connections.probed.keep-alive-without-calls",
                        "false"));
                WeldContainer container = Containers.boot(
                        Path.PORTABLE,
                        Application.class,
                        InMemoryTelemetry.Producer.class,
                        MilvusReadinessCheck.class)) {
            MilvusClientV2 client = container.select(Application.class).get().probed;
            MilvusReadinessCheck readiness = container
                    .select(MilvusReadinessCheck.class, Readiness.Literal.INSTANCE)
                    .get();

            client.checkHealth(); // the application's call: traced, and telemetry is resolved from now on
            // the alias's connect, at the application's first use, is a span of its own
            assertThat(telemetry.spansOf("probed"))
                    .extracting(SpanData::getName)
                    .containsExactly("Connect", "CheckHealth");
            assertThat(calls(telemetry)).isEqualTo(1);

            for (int i = 0; i < PROBES; i++) {
                assertThat(readiness.call().getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
            }

            assertThat(telemetry.spansOf("probed"))
                    .as("spans after %d probes", PROBES)
                    .extracting(SpanData::getName)
                    .containsExactly("Connect", "CheckHealth");
            assertThat(calls(telemetry))
                    .as("calls measured after %d probes", PROBES)
                    .isEqualTo(1);

            client.checkHealth();

            assertThat(telemetry.spansOf("probed"))
                    .extracting(SpanData::getName)
                    .containsExactly("Connect", "CheckHealth", "CheckHealth");
            assertThat(calls(telemetry)).isEqualTo(2);
        }
    }

    /** @return how many calls {@code db.client.operation.duration} measured, over all its points */
    private static long calls(InMemoryTelemetry telemetry) {
        return telemetry.durationsOf("probed").stream()
                .mapToLong(HistogramPointData::getCount)
                .sum();
    }
}
