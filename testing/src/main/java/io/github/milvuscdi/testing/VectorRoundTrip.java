package io.github.milvuscdi.testing;

import com.google.gson.JsonObject;
import io.milvus.v2.client.MilvusClientV2;
import io.milvus.v2.common.ConsistencyLevel;
import io.milvus.v2.service.collection.request.CreateCollectionReq;
import io.milvus.v2.service.collection.request.HasCollectionReq;
import io.milvus.v2.service.vector.request.InsertReq;
import io.milvus.v2.service.vector.request.SearchReq;
import io.milvus.v2.service.vector.request.data.FloatVec;
import io.milvus.v2.service.vector.response.SearchResp;
import java.util.ArrayList;
import java.util.List;

/**
 * A small real workload for tests: a collection of four 4-dimensional vectors, written and searched.
 *
 * <pre>{@code
 * VectorRoundTrip.createAndFill(client, "notes");
 * assertEquals(3, VectorRoundTrip.nearest(client, "notes", 3));
 * }</pre>
 */
public final class VectorRoundTrip {

    private VectorRoundTrip() {}

    /** Creates {@code collection} with four orthogonal unit vectors, ids 1 to 4. */
    public static void createAndFill(MilvusClientV2 client, String collection) {
        // Strong: Milvus itself serves reads at Bounded consistency by default, which may not see the
        // rows just inserted yet (milvus-lite always does).
        client.createCollection(CreateCollectionReq.builder()
                .collectionName(collection)
                .dimension(4)
                .consistencyLevel(ConsistencyLevel.STRONG)
                .build());
        List<JsonObject> rows = new ArrayList<>();
        for (int id = 1; id <= 4; id++) {
            JsonObject row = new JsonObject();
            row.addProperty("id", id);
            com.google.gson.JsonArray vector = new com.google.gson.JsonArray();
            for (int d = 0; d < 4; d++) {
                vector.add(d == id - 1 ? 1.0f : 0.0f);
            }
            row.add("vector", vector);
            rows.add(row);
        }
        client.insert(InsertReq.builder().collectionName(collection).data(rows).build());
    }

    /** Returns the id nearest to a vector close to unit vector {@code id}. */
    public static long nearest(MilvusClientV2 client, String collection, int id) {
        float[] query = {0.1f, 0.1f, 0.1f, 0.1f};
        query[id - 1] = 0.9f;
        SearchResp response = client.search(SearchReq.builder()
                .collectionName(collection)
                .data(List.of(new FloatVec(query)))
                .topK(1)
                .consistencyLevel(ConsistencyLevel.STRONG)
                .build());
        return ((Number) response.getSearchResults().get(0).get(0).getId()).longValue();
    }

    /** Tells whether the collection exists. */
    public static boolean exists(MilvusClientV2 client, String collection) {
        return client.hasCollection(
                HasCollectionReq.builder().collectionName(collection).build());
    }
}
