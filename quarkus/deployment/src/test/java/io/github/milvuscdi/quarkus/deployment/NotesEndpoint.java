package io.github.milvuscdi.quarkus.deployment;

import io.github.milvuscdi.MilvusConnection;
import io.milvus.v2.client.MilvusClientV2;
import io.milvus.v2.service.collection.request.CreateCollectionReq;
import io.milvus.v2.service.collection.request.HasCollectionReq;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** The live-reload test's application: one alias, no Milvus configuration. */
@Path("/notes")
public class NotesEndpoint {

    @Inject
    @MilvusConnection("search")
    MilvusClientV2 search;

    @ConfigProperty(name = "milvus.connections.search.uri")
    String uri;

    @GET
    @Path("/server")
    public String server() {
        return "v1 " + uri;
    }

    @PUT
    @Path("/{collection}")
    public void create(@PathParam("collection") String collection) {
        search.createCollection(CreateCollectionReq.builder()
                .collectionName(collection)
                .dimension(4)
                .build());
    }

    @GET
    @Path("/{collection}")
    public String exists(@PathParam("collection") String collection) {
        return String.valueOf(search.hasCollection(
                HasCollectionReq.builder().collectionName(collection).build()));
    }
}
