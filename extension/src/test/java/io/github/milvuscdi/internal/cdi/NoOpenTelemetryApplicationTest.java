package io.github.milvuscdi.internal.cdi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.milvuscdi.MilvusConnection;
import io.github.milvuscdi.internal.cdi.Containers.Path;
import io.github.milvuscdi.internal.telemetry.Telemetry;
import io.github.milvuscdi.testing.MilvusLiteExtension;
import io.github.milvuscdi.testing.VectorRoundTrip;
import io.milvus.v2.client.MilvusClientV2;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import java.util.Map;
import org.jboss.weld.environment.se.WeldContainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * An application without OpenTelemetry deploys and runs: this module's tests, all but the
 * {@code *TelemetryTest} ones, run with no OpenTelemetry on the class path (see the surefire
 * executions in the POM), and this test makes sure of it, with telemetry switched on.
 */
class NoOpenTelemetryApplicationTest {

    @RegisterExtension
    static final MilvusLiteExtension MILVUS = new MilvusLiteExtension("no-otel");

    @Dependent
    static class Application {
        @Inject
        @MilvusConnection("notes")
        MilvusClientV2 notes;
    }

    @Test
    void openTelemetryIsNotOnTheClassPathOfTheseTests() {
        assertThat(Telemetry.onClassPath()).isFalse();
        assertThatThrownBy(() -> Class.forName(Telemetry.API)).isInstanceOf(ClassNotFoundException.class);
    }

    @ParameterizedTest
    @EnumSource(Path.class)
    void anApplicationWithTelemetryOnButNoOpenTelemetryWritesAndSearches(Path path) throws Exception {
        String collection = "no_otel_" + path.name().toLowerCase();
        try (AutoCloseable config = Containers.useConfig(Map.of(
                        "milvus.connections.notes.uri",
                        MILVUS.server().uri(),
                        "milvus.connections.notes.keep-alive-without-calls",
                        "false",
                        "milvus.connections.notes.telemetry.enabled",
                        "true",
                        "milvus.telemetry.enabled",
                        "true"));
                WeldContainer container = Containers.boot(path, Application.class)) {
            MilvusClientV2 notes = container.select(Application.class).get().notes;
            VectorRoundTrip.createAndFill(notes, collection);
            assertThat(VectorRoundTrip.nearest(notes, collection, 4)).isEqualTo(4);
        }
    }
}
