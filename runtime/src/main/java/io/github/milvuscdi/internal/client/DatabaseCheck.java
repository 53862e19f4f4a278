package io.github.milvuscdi.internal.client;

import io.github.milvuscdi.MilvusConnectionException;
import io.github.milvuscdi.internal.config.ConnectionSettings;
import io.github.milvuscdi.internal.sdk.MilvusSdk;
import io.milvus.grpc.ListDatabasesRequest;
import io.milvus.grpc.ListDatabasesResponse;
import io.milvus.shaded.io.grpc.Status;
import io.milvus.shaded.io.grpc.StatusRuntimeException;
import io.milvus.v2.client.MilvusClientV2;
import java.util.concurrent.TimeUnit;

/**
 * Before {@code useDatabase} switches a client not shared (an alias added at run time) to another
 * database: checks on the current connection, within {@code connect-timeout}, that the database
 * exists, so that a wrong name leaves the client as it was.
 *
 * <p>Contract: returns when the database exists; otherwise throws, naming the alias, the database and
 * the address, and saying the connection is unchanged: {@link IllegalArgumentException} for a null or
 * unknown name, {@link MilvusConnectionException} when the server did not list its databases.
 *
 * <p>Stateless and thread-safe.
 */
final class DatabaseCheck {

    private DatabaseCheck() {}

    static void requireExists(ConnectionSettings settings, MilvusClientV2 client, String db) {
        if (db == null) {
            throw new IllegalArgumentException("dbName cannot be null");
        }
        String cannot = "Milvus alias '" + settings.alias() + "': cannot switch to database '" + db + "': ";
        ListDatabasesResponse databases;
        try {
            databases = MilvusSdk.blockingStub(client)
                    .withDeadlineAfter(settings.connectTimeout().toMillis(), TimeUnit.MILLISECONDS)
                    .listDatabases(ListDatabasesRequest.getDefaultInstance());
        } catch (StatusRuntimeException failed) {
            String why = failed.getStatus().getCode() == Status.Code.DEADLINE_EXCEEDED
                    ? settings.address() + " did not list its databases within connect-timeout ("
                            + settings.connectTimeout().toMillis() + " ms)"
                    : "listing the databases of " + settings.address() + " failed (" + failed.getStatus() + ")";
            throw new MilvusConnectionException(
                    settings.alias(), cannot + why + "; the connection is unchanged", failed);
        }
        if (databases.getStatus().getCode() != 0) {
            throw new MilvusConnectionException(
                    settings.alias(),
                    cannot + settings.address() + " refused to list its databases ("
                            + databases.getStatus().getReason() + "); the connection is unchanged",
                    null);
        }
        if (!databases.getDbNamesList().contains(db)) {
            throw new IllegalArgumentException("Milvus alias '" + settings.alias() + "': database '" + db
                    + "' does not exist on " + settings.address() + "; the connection is unchanged");
        }
    }
}
