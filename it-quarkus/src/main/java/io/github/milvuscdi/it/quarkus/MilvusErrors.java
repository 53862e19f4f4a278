package io.github.milvuscdi.it.quarkus;

import io.github.milvuscdi.MilvusConnectionException;
import io.milvus.v2.exception.MilvusClientException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.util.Map;

/** Answers Milvus failures with their message: 503 when the server cannot be reached, else 500. */
public final class MilvusErrors {

    private MilvusErrors() {}

    /** The alias's server could not be reached; the message names alias and address. */
    @Provider
    public static final class Unreachable implements ExceptionMapper<MilvusConnectionException> {
        @Override
        public Response toResponse(MilvusConnectionException failure) {
            return answer(Response.Status.SERVICE_UNAVAILABLE, failure.getMessage());
        }
    }

    /** The server refused the request (an unknown collection, a vector of the wrong dimension…). */
    @Provider
    public static final class Refused implements ExceptionMapper<MilvusClientException> {
        @Override
        public Response toResponse(MilvusClientException failure) {
            return answer(Response.Status.INTERNAL_SERVER_ERROR, failure.getMessage());
        }
    }

    private static Response answer(Response.Status status, String message) {
        return Response.status(status)
                .type(MediaType.APPLICATION_JSON)
                .entity(Map.of("error", String.valueOf(message)))
                .build();
    }
}
