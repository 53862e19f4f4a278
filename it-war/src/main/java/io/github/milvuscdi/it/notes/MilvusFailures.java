package io.github.milvuscdi.it.notes;

import io.github.milvuscdi.MilvusConnectionException;
import io.milvus.v2.exception.MilvusClientException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/**
 * Answers 503 with the reason as plain text when Milvus cannot be reached, and 502 when it refused
 * a request, instead of a bare 500.
 */
public final class MilvusFailures {

    private MilvusFailures() {}

    /** The alias's server could not be reached: the message names the alias and address. */
    @Provider
    public static class Unreachable implements ExceptionMapper<MilvusConnectionException> {
        @Override
        public Response toResponse(MilvusConnectionException failure) {
            return text(Response.Status.SERVICE_UNAVAILABLE, failure.getMessage());
        }
    }

    /** The server answered with an error. */
    @Provider
    public static class Refused implements ExceptionMapper<MilvusClientException> {
        @Override
        public Response toResponse(MilvusClientException failure) {
            return text(Response.Status.BAD_GATEWAY, failure.getMessage());
        }
    }

    private static Response text(Response.Status status, String message) {
        return Response.status(status)
                .type(MediaType.TEXT_PLAIN_TYPE)
                .entity(message)
                .build();
    }
}
