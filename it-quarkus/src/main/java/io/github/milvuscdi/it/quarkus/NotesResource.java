package io.github.milvuscdi.it.quarkus;

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
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * The notes API: notes and queries in words; the application embeds them. {@code alias} is
 * {@code default} or {@code archive}.
 *
 * <pre>
 * PUT  /notes/{alias}/{collection}                                        201, or 409 when it exists
 * POST /notes/{alias}/{collection}         [{"id": 1, "text": "Book the night train to Vienna"}]   {"inserted": 1}
 * POST /notes/{alias}/{collection}/search  {"text": "a trip by rail", "limit": 3}
 *                                          [{"id": 1, "text": "Book the night train to Vienna", "score": 0.47}]
 * </pre>
 *
 * A request the application cannot take (no notes, a note without text, a limit out of range) is
 * answered 400 with {@code {"error": "…"}}.
 */
@Path("/notes/{alias}/{collection}")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class NotesResource {

    private static final int MAX_LIMIT = 100;

    @Inject
    NoteStore store;

    @PUT
    public Response create(@PathParam("alias") String alias, @PathParam("collection") String collection) {
        boolean created = store.createCollection(alias, collection);
        return Response.status(created ? Response.Status.CREATED : Response.Status.CONFLICT)
                .entity(new CollectionCreated(alias, collection, created, NoteEmbeddings.DIMENSION))
                .build();
    }

    @POST
    public Map<String, Long> add(
            @PathParam("alias") String alias, @PathParam("collection") String collection, List<Note> notes) {
        if (notes == null || notes.isEmpty()) {
            throw badRequest("no notes given; send [{\"id\": 1, \"text\": \"…\"}, …]");
        }
        for (Note note : notes) {
            if (note == null || note.text() == null || note.text().isBlank()) {
                throw badRequest("note " + (note == null ? "null" : note.id()) + " has no text");
            }
            int bytes = note.text().getBytes(StandardCharsets.UTF_8).length;
            if (bytes > NoteStore.MAX_TEXT) {
                throw badRequest("note " + note.id() + " has " + bytes + " bytes of text; at most " + NoteStore.MAX_TEXT
                        + " are kept");
            }
        }
        return Map.of("inserted", store.add(alias, collection, notes));
    }

    @POST
    @Path("search")
    public List<NoteMatch> search(
            @PathParam("alias") String alias, @PathParam("collection") String collection, NoteQuery query) {
        if (query == null || query.text() == null || query.text().isBlank()) {
            throw badRequest("no query given; send {\"text\": \"a trip by rail\", \"limit\": 3}");
        }
        int limit = query.limitOrDefault();
        if (limit < 1 || limit > MAX_LIMIT) {
            throw badRequest("limit " + limit + " is out of range; expected 1 to " + MAX_LIMIT);
        }
        return store.search(alias, collection, query.text(), limit);
    }

    private static BadRequestException badRequest(String message) {
        return new BadRequestException(Response.status(Response.Status.BAD_REQUEST)
                .type(MediaType.APPLICATION_JSON)
                .entity(Map.of("error", message))
                .build());
    }
}
