package io.github.milvuscdi.internal.cdi;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.milvuscdi.MilvusConnection;
import io.github.milvuscdi.MilvusConnections;
import io.github.milvuscdi.internal.cdi.Containers.Path;
import io.github.milvuscdi.testing.MilvusLiteExtension;
import io.github.milvuscdi.testing.VectorRoundTrip;
import io.milvus.v2.client.MilvusClientV2;
import jakarta.inject.Inject;
import java.util.Map;
import org.jboss.weld.junit5.EnableWeld;
import org.jboss.weld.junit5.WeldInitiator;
import org.jboss.weld.junit5.WeldSetup;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The way our users write tests: weld-junit5 injects a configured alias into the test itself. */
@EnableWeld
class WeldJunitInjectionTest {

    @RegisterExtension
    @Order(1)
    static final MilvusLiteExtension MILVUS = new MilvusLiteExtension("weld-junit");

    private static AutoCloseable config;

    @WeldSetup
    WeldInitiator weld = WeldInitiator.from(Containers.weld(Path.PORTABLE)).build();

    @Inject
    @MilvusConnection("notes")
    MilvusClientV2 notes;

    @Inject
    MilvusConnections connections;

    @BeforeAll
    static void configure() {
        config = Containers.useConfig(
                Map.of("milvus.connections.notes.uri", MILVUS.server().uri()));
    }

    @AfterAll
    static void release() throws Exception {
        config.close();
    }

    @Test
    void theInjectedClientWritesAndSearches() {
        VectorRoundTrip.createAndFill(notes, "weld_junit_notes");
        assertThat(VectorRoundTrip.nearest(notes, "weld_junit_notes", 1)).isEqualTo(1);
        assertThat(connections.connect("notes")).isSameAs(notes);
        assertThat(connections.getConnectionAddr("notes"))
                .containsEntry("address", MILVUS.server().address());
    }
}
