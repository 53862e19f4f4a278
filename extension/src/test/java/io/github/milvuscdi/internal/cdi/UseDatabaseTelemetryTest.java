package io.github.milvuscdi.internal.cdi;

import static io.github.milvuscdi.internal.cdi.InMemoryTelemetry.OPERATION;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.milvuscdi.MilvusConnections;
import io.github.milvuscdi.internal.cdi.Containers.Path;
import io.github.milvuscdi.testing.MilvusLiteExtension;
import io.milvus.v2.client.MilvusClientV2;
import java.util.Map;
import org.jboss.weld.environment.se.WeldContainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code useDatabase} on an alias added at run time reconnects; the calls made after it are traced as
 * those before it were (the SDK's own reconnect builds a stub without this library's interceptors).
 */
class UseDatabaseTelemetryTest {

    @RegisterExtension
    static final MilvusLiteExtension MILVUS = new MilvusLiteExtension("use-database-traced");

    @Test
    void callsAfterUseDatabaseOnARuntimeAliasAreStillTraced() throws Exception {
        try (InMemoryTelemetry telemetry = InMemoryTelemetry.start();
                AutoCloseable config = Containers.useConfig(Map.of());
                WeldContainer container = Containers.boot(Path.PORTABLE, InMemoryTelemetry.Producer.class)) {
            MilvusConnections connections =
                    container.select(MilvusConnections.class).get();
            MilvusClientV2 mine = connections.connect(
                    "mine", Map.of("uri", MILVUS.server().uri(), "keep-alive-without-calls", "false"));
            mine.listCollections();
            assertThat(listCollectionsSpans(telemetry)).as("before useDatabase").isEqualTo(1);

            mine.useDatabase("default");
            mine.listCollections();

            assertThat(listCollectionsSpans(telemetry)).as("after useDatabase").isEqualTo(2);
            connections.removeConnection("mine");
        }
    }

    private static long listCollectionsSpans(InMemoryTelemetry telemetry) {
        return telemetry.spansOf("mine").stream()
                .filter(span -> "ShowCollections".equals(span.getAttributes().get(OPERATION)))
                .count();
    }
}
