package io.github.milvuscdi.internal.cdi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.github.milvuscdi.harness.FreezingProxy;
import io.github.milvuscdi.internal.cdi.Containers.Path;
import io.github.milvuscdi.launcher.MilvusLiteServer;
import io.github.milvuscdi.testing.Await;
import io.milvus.v2.client.MilvusClientV2;
import io.milvus.v2.common.ConsistencyLevel;
import io.milvus.v2.exception.MilvusClientException;
import io.milvus.v2.service.collection.request.CreateCollectionReq;
import io.milvus.v2.service.vector.request.InsertReq;
import io.milvus.v2.service.vector.request.QueryReq;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.jboss.weld.environment.se.WeldContainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * An insert the server applied, whose connection drops before the answer comes back, is not repeated by
 * default (the rows are written once and the caller is told the outcome is unknown); with
 * {@code retry.unsafe-writes=true} the SDK repeats it, as it did before, and the rows are written twice.
 */
@Timeout(180)
class UnknownOutcomeWriteTest {

    private static final int ROWS = 3;

    @Test
    void anInsertCutOffAfterTheServerAppliedItIsNotRepeatedUnlessUnsafeWritesAreOn() throws Exception {
        try (MilvusLiteServer server = MilvusLiteServer.start("unknown-outcome");
                FreezingProxy safeProxy = FreezingProxy.to(server.host(), server.port());
                FreezingProxy unsafeProxy = FreezingProxy.to(server.host(), server.port())) {
            Map<String, String> config = new LinkedHashMap<>();
            config.put("milvus.connections.direct.uri", server.uri());
            config.put("milvus.connections.safe.uri", safeProxy.uri());
            config.put("milvus.connections.unsafe.uri", unsafeProxy.uri());
            config.put("milvus.connections.unsafe.retry.unsafe-writes", "true");
            try (AutoCloseable c = Containers.useConfig(config);
                    WeldContainer container = OutageTest.boot(Path.PORTABLE)) {
                MilvusClientV2 direct = OutageTest.client(container, "direct");

                CompletableFuture<?> safeInsert =
                        insertCutOffAfterApplied(direct, OutageTest.client(container, "safe"), safeProxy, "safe");
                assertThatThrownBy(() -> safeInsert.get(60, TimeUnit.SECONDS))
                        .isInstanceOf(ExecutionException.class)
                        .cause()
                        .isInstanceOf(MilvusClientException.class)
                        .hasMessageContaining(
                                "Milvus alias 'safe': the outcome of this insert is unknown: it was sent to "
                                        + safeProxy.address())
                        .hasMessageContaining("It was not repeated")
                        .hasMessageContaining("milvus.connections.safe.retry.unsafe-writes=true");
                assertThat(count(direct, "safe")).as("rows written once").isEqualTo(2 * ROWS);

                CompletableFuture<?> unsafeInsert =
                        insertCutOffAfterApplied(direct, OutageTest.client(container, "unsafe"), unsafeProxy, "unsafe");
                unsafeInsert.get(60, TimeUnit.SECONDS); // repeated on a new connection, as the key asks
                assertThat(count(direct, "unsafe")).as("rows written twice").isEqualTo(3 * ROWS);
            }
        }
    }

    /**
     * Writes {@value #ROWS} rows through the proxied client (which also caches the collection's schema, so
     * the next insert is one call), then {@value #ROWS} more whose answer the proxy holds; once the server has
     * applied them, the proxy cuts the connection.
     */
    private static CompletableFuture<?> insertCutOffAfterApplied(
            MilvusClientV2 direct, MilvusClientV2 proxied, FreezingProxy proxy, String collection) {
        direct.createCollection(CreateCollectionReq.builder()
                .collectionName(collection)
                .dimension(4)
                .autoID(true)
                .consistencyLevel(ConsistencyLevel.STRONG)
                .build());
        proxied.insert(rows(collection));
        assertThat(count(direct, collection)).isEqualTo(ROWS);

        proxy.holdAnswers();
        CompletableFuture<?> insert = CompletableFuture.runAsync(() -> proxied.insert(rows(collection)));
        Await.until(() -> count(direct, collection) == 2 * ROWS, Duration.ofSeconds(30), "the server applied it");
        assertThat(insert).as("no answer yet").isNotDone();
        proxy.cutConnections();
        return insert;
    }

    private static InsertReq rows(String collection) {
        List<JsonObject> rows = new ArrayList<>();
        for (int i = 0; i < ROWS; i++) {
            JsonObject row = new JsonObject();
            JsonArray vector = new JsonArray();
            for (int d = 0; d < 4; d++) {
                vector.add(d == i ? 1.0f : 0.0f);
            }
            row.add("vector", vector);
            rows.add(row);
        }
        return InsertReq.builder().collectionName(collection).data(rows).build();
    }

    private static long count(MilvusClientV2 client, String collection) {
        return ((Number) client.query(QueryReq.builder()
                                .collectionName(collection)
                                .filter("")
                                .outputFields(List.of("count(*)"))
                                .consistencyLevel(ConsistencyLevel.STRONG)
                                .build())
                        .getQueryResults()
                        .get(0)
                        .getEntity()
                        .get("count(*)"))
                .longValue();
    }
}
