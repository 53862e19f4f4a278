package io.github.milvuscdi.internal.cdi;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.milvuscdi.MilvusConnection;
import io.github.milvuscdi.internal.cdi.Containers.Path;
import io.github.milvuscdi.testing.MilvusLiteExtension;
import io.github.milvuscdi.testing.VectorRoundTrip;
import io.milvus.v2.client.MilvusClientV2;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.sdk.trace.data.SpanData;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.Map;
import org.jboss.weld.environment.se.WeldContainer;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The {@code OpenTelemetry} bean is produced by a bean that itself injects a Milvus client: creating
 * the client must not create that bean (it would need the client being created), yet the client's
 * calls are traced.
 */
class ProducerThatInjectsAClientTelemetryTest {

    @RegisterExtension
    static final MilvusLiteExtension MILVUS = new MilvusLiteExtension("producer");

    /** Injects the client and produces the application's OpenTelemetry. */
    @Dependent
    static class Application {
        @Inject
        @MilvusConnection("notes")
        MilvusClientV2 notes;

        @Produces
        @Singleton
        OpenTelemetry openTelemetry() {
            return InMemoryTelemetry.current();
        }
    }

    @ParameterizedTest
    @EnumSource(Path.class)
    void theClientIsCreatedAndItsCallsAreTraced(Path path) throws Exception {
        try (InMemoryTelemetry telemetry = InMemoryTelemetry.start();
                AutoCloseable config = Containers.useConfig(Map.of(
                        "milvus.connections.notes.uri",
                        MILVUS.server().uri(),
                        "milvus.connections.notes.keep-alive-without-calls",
                        "false"));
                WeldContainer container = Containers.boot(path, Application.class)) {
            MilvusClientV2 notes = container.select(Application.class).get().notes;
            assertThat(VectorRoundTrip.exists(notes, "produced")).isFalse();
            assertThat(VectorRoundTrip.exists(notes, "produced")).isFalse();

            // the first call created the producer's bean; it may go untraced, every later one is not
            assertThat(telemetry.spansOf("notes")).extracting(SpanData::getName).contains("HasCollection produced");
        }
    }
}
