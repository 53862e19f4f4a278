package io.github.milvuscdi.it.devservices;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.github.milvuscdi.MilvusConnection;
import io.milvus.v2.client.MilvusClientV2;
import io.milvus.v2.service.collection.request.CreateCollectionReq;
import io.milvus.v2.service.collection.request.HasCollectionReq;
import io.milvus.v2.service.vector.request.InsertReq;
import io.milvus.v2.service.vector.request.SearchReq;
import io.milvus.v2.service.vector.request.data.FloatVec;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes and searches four-dimensional unit vectors on alias {@code default} or {@code search},
 * neither of which is configured: Dev Services locate them.
 */
@Path("/vectors/{alias}/{collection}")
public class VectorsResource {

    private static final int DIMENSION = 4;

    @Inject
    MilvusClientV2 current;

    @Inject
    @MilvusConnection("search")
    MilvusClientV2 search;

    /** Creates the collection with the unit vectors 1 to 4 (id n is the vector with 1 at n-1). */
    @PUT
    public void create(@PathParam("alias") String alias, @PathParam("collection") String collection) {
        MilvusClientV2 client = client(alias);
        client.createCollection(CreateCollectionReq.builder()
                .collectionName(collection)
                .dimension(DIMENSION)
                .build());
        List<JsonObject> rows = new ArrayList<>();
        for (int id = 1; id <= DIMENSION; id++) {
            JsonObject row = new JsonObject();
            row.addProperty("id", id);
            JsonArray vector = new JsonArray();
            for (int d = 0; d < DIMENSION; d++) {
                vector.add(d == id - 1 ? 1.0f : 0.0f);
            }
            row.add("vector", vector);
            rows.add(row);
        }
        client.insert(InsertReq.builder().collectionName(collection).data(rows).build());
    }

    /** Whether the collection exists on the alias's server. */
    @GET
    public boolean exists(@PathParam("alias") String alias, @PathParam("collection") String collection) {
        return client(alias)
                .hasCollection(
                        HasCollectionReq.builder().collectionName(collection).build());
    }

    /** The id of the vector nearest to one leaning towards unit vector {@code near}. */
    @POST
    @Path("/nearest")
    public long nearest(
            @PathParam("alias") String alias,
            @PathParam("collection") String collection,
            @QueryParam("near") int near) {
        float[] query = {0.1f, 0.1f, 0.1f, 0.1f};
        query[near - 1] = 0.9f;
        var response = client(alias)
                .search(SearchReq.builder()
                        .collectionName(collection)
                        .data(List.of(new FloatVec(query)))
                        .topK(1)
                        .build());
        return ((Number) response.getSearchResults().get(0).get(0).getId()).longValue();
    }

    private MilvusClientV2 client(String alias) {
        return "search".equals(alias) ? search : current;
    }
}
