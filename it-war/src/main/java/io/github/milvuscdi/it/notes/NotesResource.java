package io.github.milvuscdi.it.notes;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.milvus.v2.client.MilvusClientV2;
import io.milvus.v2.service.collection.request.CreateCollectionReq;
import io.milvus.v2.service.collection.request.HasCollectionReq;
import io.milvus.v2.service.vector.request.InsertReq;
import io.milvus.v2.service.vector.request.SearchReq;
import io.milvus.v2.service.vector.request.data.FloatVec;
import io.milvus.v2.service.vector.response.InsertResp;
import io.milvus.v2.service.vector.response.SearchResp;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.List;

/**
 * Semantic notes: a collection of notes, each a text with its embedding vector, searched by vector.
 *
 * <pre>
 * PUT  /api/notebooks/{alias}/collections/{collection}          {"dimension": 4}
 * POST /api/notebooks/{alias}/collections/{collection}/notes    [{"id": 1, "text": "…", "embedding": [1, 0, 0, 0]}]
 * POST /api/notebooks/{alias}/collections/{collection}/search   {"embedding": [0.9, 0.1, 0.1, 0.1], "limit": 2}
 * </pre>
 *
 * <p>{@code alias} is {@code default} or {@code archive}: each notebook is its own Milvus connection.
 * A collection uses cosine similarity; the nearest notes come first.
 */
@Path("notebooks/{alias}/collections/{collection}")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class NotesResource {

    private static final String VECTOR_FIELD = "vector";
    private static final String TEXT_FIELD = "text";

    @Inject
    Notebooks notebooks;

    /** Creates the collection; answers 201, or 200 when it already exists. */
    @PUT
    public Response create(
            @PathParam("alias") String alias, @PathParam("collection") String collection, CollectionSpec spec) {
        if (spec == null || spec.dimension() < 1) {
            throw new BadRequestException("Give the vectors' dimension, e.g. {\"dimension\": 4}");
        }
        MilvusClientV2 client = notebooks.client(alias);
        if (client.hasCollection(
                HasCollectionReq.builder().collectionName(collection).build())) {
            return Response.ok(spec).build();
        }
        // The quick setup: an int64 primary key "id", a float vector, an index, loaded; other
        // fields (the text) are dynamic.
        client.createCollection(CreateCollectionReq.builder()
                .collectionName(collection)
                .dimension(spec.dimension())
                .metricType("COSINE")
                .build());
        return Response.status(Response.Status.CREATED).entity(spec).build();
    }

    /** Adds notes; answers how many were written. */
    @POST
    @Path("notes")
    public Inserted add(
            @PathParam("alias") String alias, @PathParam("collection") String collection, List<Note> notes) {
        if (notes == null || notes.isEmpty()) {
            throw new BadRequestException(
                    "Give a list of notes, e.g. [{\"id\": 1, \"text\": \"…\", \"embedding\": [1, 0]}]");
        }
        List<JsonObject> rows = new ArrayList<>();
        for (Note note : notes) {
            JsonObject row = new JsonObject();
            row.addProperty("id", note.id());
            row.addProperty(TEXT_FIELD, note.text());
            row.add(VECTOR_FIELD, vector(note.embedding()));
            rows.add(row);
        }
        InsertResp response = notebooks
                .client(alias)
                .insert(InsertReq.builder()
                        .collectionName(collection)
                        .data(rows)
                        .build());
        return new Inserted(response.getInsertCnt());
    }

    /** Finds the notes nearest to a vector, nearest first. */
    @POST
    @Path("search")
    public List<Hit> search(@PathParam("alias") String alias, @PathParam("collection") String collection, Query query) {
        if (query == null || query.embedding() == null || query.embedding().isEmpty()) {
            throw new BadRequestException("Give the query vector, e.g. {\"embedding\": [1, 0], \"limit\": 3}");
        }
        SearchResp response = notebooks
                .client(alias)
                .search(SearchReq.builder()
                        .collectionName(collection)
                        .data(List.of(new FloatVec(query.embedding())))
                        .topK(query.limit() > 0 ? query.limit() : 3)
                        .outputFields(List.of(TEXT_FIELD))
                        .build());
        List<Hit> hits = new ArrayList<>();
        for (SearchResp.SearchResult result : response.getSearchResults().get(0)) {
            hits.add(new Hit(
                    ((Number) result.getId()).longValue(),
                    String.valueOf(result.getEntity().get(TEXT_FIELD)),
                    result.getScore()));
        }
        return hits;
    }

    private static JsonArray vector(List<Float> embedding) {
        if (embedding == null || embedding.isEmpty()) {
            throw new BadRequestException("Every note needs its embedding, a list of numbers");
        }
        JsonArray vector = new JsonArray();
        embedding.forEach(vector::add);
        return vector;
    }

    /** The body of {@code PUT}: the vectors' dimension. */
    public record CollectionSpec(int dimension) {}

    /** One note: its id, its text and its embedding. */
    public record Note(long id, String text, List<Float> embedding) {}

    /** What {@code POST …/notes} answers. */
    public record Inserted(long inserted) {}

    /** The body of {@code POST …/search}: the query vector and how many notes to return (default 3). */
    public record Query(List<Float> embedding, int limit) {}

    /** A note found by a search, with its similarity (cosine: 1 is the same direction). */
    public record Hit(long id, String text, float score) {}
}
