package io.github.milvuscdi.it.quarkus;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Map;

/**
 * The semantic-notes API. {@code alias} is {@code default} or {@code archive}.
 *
 * <pre>
 * PUT  /notes/{alias}/{collection}         {"dimension": 4}                      201, or 409 when it exists
 * POST /notes/{alias}/{collection}         [{"id": 1, "text": "…", "vector": […]}]  {"inserted": 1}
 * POST /notes/{alias}/{collection}/search  {"vector": […], "limit": 3}           [{"id": 1, "text": "…", "score": 0.98}]
 * </pre>
 */
@Path("/notes/{alias}/{collection}")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class NotesResource {

    @Inject
    NoteStore store;

    @PUT
    public Response create(@PathParam("alias") String alias, @PathParam("collection") String collection,
            NoteCollection spec) {
        boolean created = store.createCollection(alias, collection, spec.dimension());
        return Response.status(created ? Response.Status.CREATED : Response.Status.CONFLICT)
                .entity(new CollectionCreated(alias, collection, created)).build();
    }

    @POST
    public Map<String, Long> add(@PathParam("alias") String alias, @PathParam("collection") String collection,
            List<Note> notes) {
        return Map.of("inserted", store.add(alias, collection, notes));
    }

    @POST
    @Path("search")
    public List<NoteMatch> search(@PathParam("alias") String alias, @PathParam("collection") String collection,
            NoteQuery query) {
        return store.search(alias, collection, query);
    }
}
