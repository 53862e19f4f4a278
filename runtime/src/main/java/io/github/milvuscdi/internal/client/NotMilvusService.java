package io.github.milvuscdi.internal.client;

import io.github.milvuscdi.internal.config.ConnectionKey;
import io.github.milvuscdi.internal.config.ConnectionSettings;
import io.milvus.shaded.io.grpc.Status;
import io.milvus.shaded.io.grpc.StatusRuntimeException;

/**
 * Tells a gRPC server that is not Milvus: it speaks HTTP/2 and gRPC, but answers Milvus's calls
 * {@code UNIMPLEMENTED} (another application's gRPC port, a gRPC proxy routing elsewhere). Connecting
 * calls nothing but Milvus's own service, so that answer means the port serves something else.
 * Stateless and thread-safe.
 */
final class NotMilvusService {

    /** The service every Milvus 2.x serves on its gRPC port. */
    static final String SERVICE = "milvus.proto.milvus.MilvusService";

    private NotMilvusService() {}

    /**
     * @param settings the alias's settings, for the keys to name
     * @param status the failure of a call made while connecting; may be {@code null}
     * @return the explanation when the server does not implement Milvus's service; {@code null} otherwise
     */
    static ConnectFailureExplainer.Explanation explanation(ConnectionSettings settings, StatusRuntimeException status) {
        if (status == null || status.getStatus().getCode() != Status.Code.UNIMPLEMENTED) {
            return null;
        }
        String alias = settings.alias();
        return new ConnectFailureExplainer.Explanation(
                ConnectFailure.Kind.NOT_MILVUS,
                "the server speaks gRPC but is not Milvus (it does not serve " + SERVICE + "): Milvus serves gRPC"
                        + " on port 19530 unless configured otherwise; check the port in "
                        + ConnectionKey.URI.fullKey(alias) + " (or " + ConnectionKey.ADDRESS.fullKey(alias) + ", "
                        + ConnectionKey.PORT.fullKey(alias) + ")");
    }
}
