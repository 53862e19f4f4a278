package io.github.milvuscdi.internal.sdk;

import io.milvus.v2.client.MilvusClientV2;

/**
 * The SDK's client as this library hands it out: once a container shares it with the whole
 * application ({@link MilvusSdk#shareWithApplication}), {@code useDatabase} and {@code close} are
 * refused, because both act on the one channel every bean uses: {@code useDatabase} closes it
 * (killing other threads' calls in flight) and switches the database for everyone; {@code close}
 * closes it for everyone. Until then (and for aliases added at run time, never shared) both behave
 * as the SDK's, and a reconnect by {@code useDatabase} gets this library's interceptors back.
 *
 * <p>Thread-safe as the SDK's client is.
 */
final class SharedClient extends MilvusClientV2 {

    private volatile String alias;
    /** Run in order after every connect: each wraps the stub the SDK just built (bound, guard, tracing). */
    private final java.util.List<Runnable> afterConnect = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** How {@code useDatabase} reconnects, when this library says; else as the SDK does. */
    private volatile MilvusSdk.DatabaseSwitch databaseSwitch;

    SharedClient() {
        super(null);
    }

    void share(String alias) {
        this.alias = alias;
    }

    void switchDatabasesWith(MilvusSdk.DatabaseSwitch databaseSwitch) {
        this.databaseSwitch = databaseSwitch;
    }

    void afterConnect(Runnable hook) {
        afterConnect.add(hook);
        hook.run();
    }

    /** Closes the channel whoever shares the client: the container, when the application stops. */
    void closeChannel(long maxWaitSeconds) throws InterruptedException {
        super.close(maxWaitSeconds);
    }

    @Override
    public void useDatabase(String dbName) throws InterruptedException {
        String shared = alias;
        if (shared != null) {
            throw new UnsupportedOperationException("Milvus alias '" + shared + "': useDatabase(\"" + dbName
                    + "\") is refused on the client the container shares with the whole application: it would "
                    + "close the connection under other threads' calls and switch the database for every user. "
                    + "Instead set milvus.connections." + shared + ".db-name, pass the database in each request "
                    + "(the requests' databaseName), or configure one alias per database.");
        }
        MilvusSdk.DatabaseSwitch how = databaseSwitch;
        if (how == null) {
            super.useDatabase(dbName);
        } else {
            how.use(dbName);
        }
        for (Runnable hook : afterConnect) {
            hook.run(); // the SDK built a new stub, without this library's interceptors
        }
    }

    @Override
    public void close(long maxWaitSeconds) throws InterruptedException {
        refuseClose();
        super.close(maxWaitSeconds);
    }

    @Override
    public void close() {
        refuseClose();
        super.close();
    }

    private void refuseClose() {
        String shared = alias;
        if (shared != null) {
            throw new UnsupportedOperationException("Milvus alias '" + shared + "': close() is refused on the "
                    + "client the container shares with the whole application: it would close the connection for "
                    + "every user. The container closes it when the application stops; for a connection of your "
                    + "own, add an alias at run time (MilvusConnections.connect(alias, keys)) and disconnect it.");
        }
    }
}
