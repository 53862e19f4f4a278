package io.github.milvuscdi.backends;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.milvuscdi.MilvusConnection;
import io.github.milvuscdi.MilvusConnections;
import io.github.milvuscdi.launcher.MilvusBackend;
import io.github.milvuscdi.launcher.MilvusServerOptions;
import io.github.milvuscdi.launcher.MilvusTestServer;
import io.github.milvuscdi.launcher.Pymilvus;
import io.github.milvuscdi.testing.VectorRoundTrip;
import io.milvus.v2.client.MilvusClientV2;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jboss.weld.environment.se.WeldContainer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The injected client on both backends, milvus-lite and Milvus's own standalone server: it
 * connects, creates, inserts and searches, and what it writes pymilvus reads, and the reverse.
 */
class InjectedClientTest {

    private static final Backends.PerBackend SERVERS =
            new Backends.PerBackend("injected", MilvusServerOptions.plaintext());

    /** Reads the ids of a collection and the point nearest to the third axis, as JSON. */
    private static final String PYMILVUS_READ = String.join(
            "\n",
            "import json, sys",
            "from pymilvus import MilvusClient",
            "client = MilvusClient(uri=sys.argv[1], timeout=30)",
            "rows = client.query(sys.argv[2], filter='id >= 0', output_fields=['id'], consistency_level='Strong')",
            "hits = client.search(sys.argv[2], [[0.1, 0.1, 0.9, 0.1]], limit=1, consistency_level='Strong')",
            "print(json.dumps({'ids': sorted(row['id'] for row in rows), 'nearest': hits[0][0]['id']}))");

    /** Creates a collection holding points 1 to 4 on the axes. */
    private static final String PYMILVUS_WRITE = String.join(
            "\n",
            "import sys",
            "from pymilvus import MilvusClient",
            "client = MilvusClient(uri=sys.argv[1], timeout=30)",
            "client.create_collection(sys.argv[2], dimension=4, auto_id=False, consistency_level='Strong')",
            "client.insert(sys.argv[2], [{'id': i + 1, 'vector': [1.0 if j == i else 0.0 for j in range(4)]}",
            "                            for i in range(4)])",
            "print('written')");

    @Dependent
    static class Application {
        @Inject
        @MilvusConnection("notes")
        MilvusClientV2 notes;

        @Inject
        MilvusConnections connections;
    }

    @AfterAll
    static void closeServers() {
        SERVERS.close();
    }

    @ParameterizedTest
    @EnumSource(MilvusBackend.class)
    void theInjectedClientCreatesInsertsAndSearches(MilvusBackend backend) throws Exception {
        MilvusTestServer server = SERVERS.server(backend);
        try (AutoCloseable c = Backends.useConfig(config(server, backend));
                WeldContainer container = Backends.boot(Application.class)) {
            Application application = container.select(Application.class).get();

            VectorRoundTrip.createAndFill(application.notes, "round_trip");

            assertThat(VectorRoundTrip.nearest(application.notes, "round_trip", 2))
                    .isEqualTo(2);
            assertThat(application.connections.connect("notes")).isSameAs(application.notes);
            assertThat(application.connections.getConnectionAddr("notes")).containsEntry("address", server.address());
        }
    }

    @ParameterizedTest
    @EnumSource(MilvusBackend.class)
    void aConfiguredDatabaseIsUsed(MilvusBackend backend) throws Exception {
        MilvusTestServer server = SERVERS.server(backend);
        Map<String, String> config = config(server, backend);
        // With a database the SDK also calls ListDatabases: Milvus 2.3.5 has databases (since 2.2.9).
        config.put("milvus.connections.notes.db-name", "default");
        try (AutoCloseable c = Backends.useConfig(config);
                WeldContainer container = Backends.boot(Application.class)) {
            MilvusClientV2 notes = container.select(Application.class).get().notes;

            VectorRoundTrip.createAndFill(notes, "in_default_db");

            assertThat(VectorRoundTrip.nearest(notes, "in_default_db", 4)).isEqualTo(4);
        }
    }

    @ParameterizedTest
    @EnumSource(MilvusBackend.class)
    void pymilvusReadsWhatTheInjectedClientWrote(MilvusBackend backend) throws Exception {
        MilvusTestServer server = SERVERS.server(backend);
        try (AutoCloseable c = Backends.useConfig(config(server, backend));
                WeldContainer container = Backends.boot(Application.class)) {
            VectorRoundTrip.createAndFill(container.select(Application.class).get().notes, "from_cdi");
        }

        assertThat(Pymilvus.run(Duration.ofSeconds(90), PYMILVUS_READ, server.uri(), "from_cdi"))
                .isEqualTo("{\"ids\": [1, 2, 3, 4], \"nearest\": 3}");
    }

    @ParameterizedTest
    @EnumSource(MilvusBackend.class)
    void theInjectedClientReadsWhatPymilvusWrote(MilvusBackend backend) throws Exception {
        MilvusTestServer server = SERVERS.server(backend);
        assertThat(Pymilvus.run(Duration.ofSeconds(90), PYMILVUS_WRITE, server.uri(), "from_pymilvus"))
                .isEqualTo("written");

        try (AutoCloseable c = Backends.useConfig(config(server, backend));
                WeldContainer container = Backends.boot(Application.class)) {
            MilvusClientV2 notes = container.select(Application.class).get().notes;

            assertThat(VectorRoundTrip.exists(notes, "from_pymilvus")).isTrue();
            assertThat(VectorRoundTrip.nearest(notes, "from_pymilvus", 1)).isEqualTo(1);
        }
    }

    private static Map<String, String> config(MilvusTestServer server, MilvusBackend backend) {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("milvus.connections.notes.uri", server.uri());
        config.put("milvus.connections.notes.rpc-deadline", "30s");
        Backends.tune(config, "notes", backend);
        return config;
    }
}
