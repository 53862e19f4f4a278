package io.github.milvuscdi.it.quarkus;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.util.Map;

/** The sentence-embedding model could not be loaded, or not in time: nothing can be embedded. */
public class EmbeddingModelUnavailableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    EmbeddingModelUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }

    /** Answers 503 with the reason, as the readiness check {@code embedding-model} tells it. */
    @Provider
    public static final class Answer implements ExceptionMapper<EmbeddingModelUnavailableException> {
        @Override
        public Response toResponse(EmbeddingModelUnavailableException failure) {
            return Response.status(Response.Status.SERVICE_UNAVAILABLE)
                    .type(MediaType.APPLICATION_JSON)
                    .entity(Map.of("error", String.valueOf(failure.getMessage())))
                    .build();
        }
    }
}
