package io.github.milvuscdi.it.quarkus;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.github.milvuscdi.MilvusConnection;
import io.milvus.v2.client.MilvusClientV2;
import io.milvus.v2.common.DataType;
import io.milvus.v2.common.IndexParam;
import io.milvus.v2.service.collection.request.AddFieldReq;
import io.milvus.v2.service.collection.request.CreateCollectionReq;
import io.milvus.v2.service.collection.request.HasCollectionReq;
import io.milvus.v2.service.vector.request.InsertReq;
import io.milvus.v2.service.vector.request.SearchReq;
import io.milvus.v2.service.vector.request.data.FloatVec;
import io.milvus.v2.service.vector.response.SearchResp;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.NotFoundException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Notes in Milvus, on two connections: {@code default} for current notes and {@code archive} for
 * old ones. Each is injected, so Quarkus knows both aliases when it builds the application, and
 * each connects on first use.
 */
@ApplicationScoped
public class NoteStore {

    static final String ID = "id";
    static final String TEXT = "text";
    static final String VECTOR = "vector";
    private static final int MAX_TEXT = 2048;

    private final Map<String, MilvusClientV2> clients;

    @Inject
    NoteStore(MilvusClientV2 current, @MilvusConnection("archive") MilvusClientV2 archive) {
        this.clients = Map.of(MilvusConnection.DEFAULT_ALIAS, current, "archive", archive);
    }

    /**
     * Creates a collection of notes: an id, the text, and the embedding under a cosine index.
     *
     * @return {@code false} when it exists already
     */
    public boolean createCollection(String alias, String collection, int dimension) {
        MilvusClientV2 client = client(alias);
        if (client.hasCollection(HasCollectionReq.builder().collectionName(collection).build())) {
            return false;
        }
        CreateCollectionReq.CollectionSchema schema = client.createSchema();
        schema.addField(AddFieldReq.builder().fieldName(ID).dataType(DataType.Int64)
                .isPrimaryKey(true).autoID(false).build());
        schema.addField(AddFieldReq.builder().fieldName(TEXT).dataType(DataType.VarChar).maxLength(MAX_TEXT).build());
        schema.addField(AddFieldReq.builder().fieldName(VECTOR).dataType(DataType.FloatVector)
                .dimension(dimension).build());
        IndexParam index = IndexParam.builder().fieldName(VECTOR).indexType(IndexParam.IndexType.AUTOINDEX)
                .metricType(IndexParam.MetricType.COSINE).build();
        client.createCollection(CreateCollectionReq.builder().collectionName(collection)
                .collectionSchema(schema).indexParams(List.of(index)).build());
        return true;
    }

    /** Adds notes; returns how many were written. */
    public long add(String alias, String collection, List<Note> notes) {
        List<JsonObject> rows = new ArrayList<>(notes.size());
        for (Note note : notes) {
            JsonObject row = new JsonObject();
            row.addProperty(ID, note.id());
            row.addProperty(TEXT, note.text());
            JsonArray vector = new JsonArray(note.vector().length);
            for (float value : note.vector()) {
                vector.add(value);
            }
            row.add(VECTOR, vector);
            rows.add(row);
        }
        return client(alias).insert(InsertReq.builder().collectionName(collection).data(rows).build()).getInsertCnt();
    }

    /** Returns the notes nearest to the query vector, nearest first. */
    public List<NoteMatch> search(String alias, String collection, NoteQuery query) {
        SearchResp response = client(alias).search(SearchReq.builder().collectionName(collection)
                .annsField(VECTOR).data(List.of(new FloatVec(query.vector())))
                .topK(query.limitOrDefault()).outputFields(List.of(TEXT)).build());
        List<NoteMatch> matches = new ArrayList<>();
        for (SearchResp.SearchResult hit : response.getSearchResults().get(0)) {
            matches.add(new NoteMatch(((Number) hit.getId()).longValue(), (String) hit.getEntity().get(TEXT),
                    hit.getScore()));
        }
        return matches;
    }

    private MilvusClientV2 client(String alias) {
        MilvusClientV2 client = clients.get(alias);
        if (client == null) {
            throw new NotFoundException("No Milvus alias '" + alias + "' here; use one of " + clients.keySet());
        }
        return client;
    }
}
