package io.github.milvuscdi.launcher;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.milvus.v2.client.ConnectConfig;
import io.milvus.v2.client.MilvusClientV2;
import io.milvus.v2.client.RetryConfig;
import io.milvus.v2.common.ConsistencyLevel;
import io.milvus.v2.service.collection.request.CreateCollectionReq;
import io.milvus.v2.service.collection.request.HasCollectionReq;
import io.milvus.v2.service.vector.request.InsertReq;
import io.milvus.v2.service.vector.request.SearchReq;
import io.milvus.v2.service.vector.request.data.FloatVec;
import io.milvus.v2.service.vector.response.SearchResp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * SDK clients and the little data set the tests share: those of the launcher and, through its test
 * jar, those of the test kit.
 */
public final class Clients {

    /** Four points on the axes of a 4-dimensional space, with ids 1 to 4. */
    public static final float[][] POINTS = {
        {1, 0, 0, 0},
        {0, 1, 0, 0},
        {0, 0, 1, 0},
        {0, 0, 0, 1},
    };

    private Clients() {}

    /** {@link #connect(String, Duration)} with a 10 s deadline. */
    public static MilvusClientV2 connect(String uri) {
        return connect(uri, Duration.ofSeconds(10));
    }

    /**
     * A client whose calls end instead of hanging: a deadline on every call (the SDK's calls wait
     * for a connection until then, and forever without one), one attempt (the SDK retries
     * UNAVAILABLE 75 times by default), and no keep-alive pings while idle (milvus-lite answers
     * those with GOAWAY too_many_pings; see README.md).
     */
    public static MilvusClientV2 connect(String uri, Duration deadline) {
        MilvusClientV2 client = new MilvusClientV2(ConnectConfig.builder()
                .uri(uri)
                .connectTimeoutMs(5_000)
                .rpcDeadlineMs(deadline.toMillis())
                .keepAliveWithoutCalls(false)
                .build());
        client.retryConfig(RetryConfig.builder().maxRetryTimes(1).build());
        return client;
    }

    public static void close(MilvusClientV2 client) throws InterruptedException {
        if (client != null) {
            client.close(5);
        }
    }

    /** Creates a collection of 4-dimensional float vectors (L2) holding {@link #POINTS}. */
    public static void createPoints(MilvusClientV2 client, String collection) {
        client.createCollection(CreateCollectionReq.builder()
                .collectionName(collection)
                .dimension(POINTS[0].length)
                .metricType("L2")
                .autoID(false)
                .consistencyLevel(ConsistencyLevel.STRONG)
                .build());
        List<JsonObject> rows = new ArrayList<>();
        for (int i = 0; i < POINTS.length; i++) {
            JsonObject row = new JsonObject();
            row.addProperty("id", i + 1L);
            JsonArray vector = new JsonArray();
            for (float component : POINTS[i]) {
                vector.add(component);
            }
            row.add("vector", vector);
            rows.add(row);
        }
        client.insert(InsertReq.builder().collectionName(collection).data(rows).build());
    }

    public static boolean exists(MilvusClientV2 client, String collection) {
        return client.hasCollection(
                HasCollectionReq.builder().collectionName(collection).build());
    }

    /** The id of the point nearest to {@code query}. */
    public static Object nearest(MilvusClientV2 client, String collection, float... query) {
        SearchResp response = client.search(SearchReq.builder()
                .collectionName(collection)
                .data(List.of(new FloatVec(query)))
                .topK(1)
                .consistencyLevel(ConsistencyLevel.STRONG)
                .build());
        List<SearchResp.SearchResult> hits = response.getSearchResults().get(0);
        if (hits.isEmpty()) {
            throw new AssertionError("The search in " + collection + " found nothing");
        }
        return hits.get(0).getId();
    }
}
