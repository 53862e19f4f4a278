package io.github.milvuscdi.it.quarkus;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.github.milvuscdi.MilvusConnection;
import io.milvus.v2.client.MilvusClientV2;
import io.milvus.v2.common.ConsistencyLevel;
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
 * Notes in Milvus, searched by meaning, on two connections: {@code default} for current notes and
 * {@code archive} for old ones. Each is injected, so Quarkus knows both aliases when it builds the
 * application, and each connects on first use. Every note is stored with its text and the text's
 * embedding; a query in words is embedded the same way and answered with the nearest notes.
 */
@ApplicationScoped
public class NoteStore {

    static final String ID = "id";
    static final String TEXT = "text";
    static final String VECTOR = "vector";
    /** The longest text a note may have, in UTF-8 bytes (Milvus's {@code VarChar} limit of the field). */
    static final int MAX_TEXT = 2048;

    private final Map<String, MilvusClientV2> clients;
    private final NoteEmbeddings embeddings;

    @Inject
    NoteStore(MilvusClientV2 current, @MilvusConnection("archive") MilvusClientV2 archive, NoteEmbeddings embeddings) {
        this.clients = Map.of(MilvusConnection.DEFAULT_ALIAS, current, "archive", archive);
        this.embeddings = embeddings;
    }

    /**
     * Creates a collection of notes: an id, the text, and its embedding ({@value NoteEmbeddings#DIMENSION}
     * dimensions) under a cosine index.
     *
     * @return {@code false} when it exists already
     */
    public boolean createCollection(String alias, String collection) {
        MilvusClientV2 client = client(alias);
        if (client.hasCollection(
                HasCollectionReq.builder().collectionName(collection).build())) {
            return false;
        }
        CreateCollectionReq.CollectionSchema schema = client.createSchema();
        schema.addField(AddFieldReq.builder()
                .fieldName(ID)
                .dataType(DataType.Int64)
                .isPrimaryKey(true)
                .autoID(false)
                .build());
        schema.addField(AddFieldReq.builder()
                .fieldName(TEXT)
                .dataType(DataType.VarChar)
                .maxLength(MAX_TEXT)
                .build());
        schema.addField(AddFieldReq.builder()
                .fieldName(VECTOR)
                .dataType(DataType.FloatVector)
                .dimension(NoteEmbeddings.DIMENSION)
                .build());
        IndexParam index = IndexParam.builder()
                .fieldName(VECTOR)
                .indexType(IndexParam.IndexType.AUTOINDEX)
                .metricType(IndexParam.MetricType.COSINE)
                .build();
        client.createCollection(CreateCollectionReq.builder()
                .collectionName(collection)
                .collectionSchema(schema)
                .indexParams(List.of(index))
                .build());
        return true;
    }

    /** Embeds the notes' texts and adds the notes; returns how many were written. */
    public long add(String alias, String collection, List<Note> notes) {
        MilvusClientV2 client = client(alias);
        List<float[]> vectors =
                embeddings.embedAll(notes.stream().map(Note::text).toList());
        List<JsonObject> rows = new ArrayList<>(notes.size());
        for (int i = 0; i < notes.size(); i++) {
            JsonObject row = new JsonObject();
            row.addProperty(ID, notes.get(i).id());
            row.addProperty(TEXT, notes.get(i).text());
            JsonArray vector = new JsonArray(NoteEmbeddings.DIMENSION);
            for (float value : vectors.get(i)) {
                vector.add(value);
            }
            row.add(VECTOR, vector);
            rows.add(row);
        }
        return client.insert(InsertReq.builder()
                        .collectionName(collection)
                        .data(rows)
                        .build())
                .getInsertCnt();
    }

    /** Returns the notes whose meaning is nearest to the query's words, nearest first. */
    public List<NoteMatch> search(String alias, String collection, String query, int limit) {
        MilvusClientV2 client = client(alias);
        SearchResp response = client.search(SearchReq.builder()
                .collectionName(collection)
                .annsField(VECTOR)
                .data(List.of(new FloatVec(embeddings.embed(query))))
                .topK(limit)
                .outputFields(List.of(TEXT))
                // a note just written is found by the next search
                .consistencyLevel(ConsistencyLevel.STRONG)
                .build());
        List<NoteMatch> matches = new ArrayList<>();
        for (SearchResp.SearchResult hit : response.getSearchResults().get(0)) {
            matches.add(new NoteMatch(
                    ((Number) hit.getId()).longValue(), (String) hit.getEntity().get(TEXT), hit.getScore()));
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
