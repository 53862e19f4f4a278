package io.github.milvuscdi.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.milvus.v2.client.MilvusClientV2;
import io.milvus.v2.common.ConsistencyLevel;
import io.milvus.v2.service.vector.request.QueryReq;
import io.milvus.v2.service.vector.response.QueryResp;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What the Java SDK writes, pymilvus reads on the same server, and the reverse, on both backends:
 * the data is Milvus's, not one client's. pymilvus is the pinned one of milvus-lite's environment.
 */
class InteropTest {

    /** Reads ids and the nearest point, or writes points 11 to 14, as JSON on the last line. */
    private static final String PYMILVUS = String.join(
            "\n",
            "import json, sys",
            "from pymilvus import MilvusClient",
            "uri, mode, collection = sys.argv[1:4]",
            "client = MilvusClient(uri=uri, timeout=30)",
            "if mode == 'write':",
            "    client.create_collection(collection, dimension=4, metric_type='L2', auto_id=False,",
            "                             consistency_level='Strong')",
            "    client.insert(collection, [{'id': 11 + i, 'vector': [1.0 if j == i else 0.0 for j in range(4)]}",
            "                               for i in range(4)])",
            "    print(json.dumps({'written': 4}))",
            "else:",
            "    rows = client.query(collection, filter='id >= 0', output_fields=['id'], consistency_level='Strong')",
            "    hits = client.search(collection, [[0.0, 0.0, 0.9, 0.1]], limit=1, consistency_level='Strong')",
            "    print(json.dumps({'ids': sorted(row['id'] for row in rows), 'nearest': hits[0][0]['id']}))");

    private static final Map<MilvusBackend, MilvusTestServer> SERVERS = new EnumMap<>(MilvusBackend.class);

    @AfterAll
    static void closeServers() {
        SERVERS.values().forEach(MilvusTestServer::close);
    }

    @ParameterizedTest
    @EnumSource(MilvusBackend.class)
    void pymilvusReadsWhatTheJavaSdkWrote(MilvusBackend backend) throws Exception {
        MilvusTestServer server = server(backend);
        MilvusClientV2 client = Clients.connect(server.uri());
        try {
            Clients.createPoints(client, "from_java");
        } finally {
            Clients.close(client);
        }

        assertThat(pymilvus(server, "read", "from_java")).isEqualTo("{\"ids\": [1, 2, 3, 4], \"nearest\": 3}");
    }

    @ParameterizedTest
    @EnumSource(MilvusBackend.class)
    void theJavaSdkReadsWhatPymilvusWrote(MilvusBackend backend) throws Exception {
        MilvusTestServer server = server(backend);
        assertThat(pymilvus(server, "write", "from_python")).isEqualTo("{\"written\": 4}");

        MilvusClientV2 client = Clients.connect(server.uri());
        try {
            QueryResp rows = client.query(QueryReq.builder()
                    .collectionName("from_python")
                    .filter("id >= 0")
                    .outputFields(List.of("id"))
                    .consistencyLevel(ConsistencyLevel.STRONG)
                    .build());
            assertThat(rows.getQueryResults())
                    .extracting(row -> row.getEntity().get("id"))
                    .containsExactlyInAnyOrder(11L, 12L, 13L, 14L);
            assertThat(Clients.nearest(client, "from_python", 0, 0.9f, 0.1f, 0)).isEqualTo(12L);
        } finally {
            Clients.close(client);
        }
    }

    private static synchronized MilvusTestServer server(MilvusBackend backend) {
        return SERVERS.computeIfAbsent(backend, key -> key.start("interop"));
    }

    private static String pymilvus(MilvusTestServer server, String mode, String collection) {
        return Pymilvus.run(Duration.ofSeconds(90), PYMILVUS, server.uri(), mode, collection);
    }
}
