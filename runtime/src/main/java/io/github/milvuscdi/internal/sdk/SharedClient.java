package io.github.milvuscdi.internal.sdk;

import io.milvus.grpc.MilvusServiceGrpc.MilvusServiceBlockingStub;
import io.milvus.shaded.io.grpc.ManagedChannel;
import io.milvus.v2.client.MilvusClientV2;
import io.milvus.v2.client.RetryConfig;
import io.milvus.v2.service.utility.request.FlushReq;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * The SDK's client as this library hands it out. Once a container shares it with the whole
 * application ({@link MilvusSdk#shareWithApplication}), no caller can change what another caller's
 * calls do:
 *
 * <ul>
 * <li>{@code withTimeout} and {@code withRetry}, which on the SDK's client set the deadline and the
 *     retry policy of the one client every bean shares, return a <em>view</em> instead: a client of
 *     the caller's own, with that deadline or retry policy, over the same connection (same channel,
 *     same interceptors: the wait bound, tracing, credentials), leaving the shared client untouched.
 *     A view is shared as the client is: it cannot be closed, its own {@code withTimeout}/{@code
 *     withRetry} return further views, and it moves with the client when the client's connection is
 *     replaced (new certificates);</li>
 * <li>{@code useDatabase} (closes the channel under other threads' calls and switches the database
 *     for everyone), {@code close} (closes it for everyone), {@code retryConfig} (replaces the retry
 *     policy of everyone) and {@code setBlockingStub} (replaces the stub every call goes through,
 *     dropping the wait bound and tracing) are refused with an {@link UnsupportedOperationException}
 *     naming the alias and what to do instead.</li>
 * </ul>
 *
 * <p>Until then (and for aliases added at run time, never shared) everything behaves as the SDK's,
 * and a reconnect by {@code useDatabase} gets this library's interceptors back.
 *
 * <p>Thread-safe as the SDK's client is.
 */
final class SharedClient extends MilvusClientV2 {

    /** What a view keeps: the shared client, its own deadline ({@code -1}: the alias's), its own retry policy. */
    record View(SharedClient shared, long deadlineNanos, RetryConfig retry) {}

    private volatile String alias;
    /** Run in order after every connect: each wraps the stub the SDK just built (bound, guard, tracing). */
    private final List<Runnable> afterConnect = new CopyOnWriteArrayList<>();
    /** How {@code useDatabase} reconnects, when this library says; else as the SDK does. */
    private volatile MilvusSdk.DatabaseSwitch databaseSwitch;

    private final View view;
    /** The views made of this client, re-pointed when its connection is replaced; a view nobody holds is dropped. */
    private final Set<SharedClient> views = Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));
    /** Told of each {@code flush}; {@code null}: nobody. */
    private volatile FlushWaits flushWaits;
    /** Set by {@link #closeChannel}: a channel built afterwards, by a connect under way, is ended as it is built. */
    private volatile boolean closed;
    /** The channel built last, known before the SDK keeps it in its own field; {@code null} before the first. */
    private volatile ManagedChannel lastBuilt;

    SharedClient() {
        super(null);
        this.view = null;
        ClientChannels.install(this);
    }

    /** A view of a shared client; see {@link SharedClientViews#view}. */
    SharedClient(String alias, View view) {
        super(null);
        this.alias = alias;
        this.view = view;
    }

    void share(String alias) {
        this.alias = alias;
    }

    /** @return the alias once shared; {@code null} before */
    String alias() {
        return alias;
    }

    /** @return what this view keeps; {@code null} for the shared client itself */
    View view() {
        return view;
    }

    void observeFlushes(FlushWaits observer) {
        this.flushWaits = observer;
    }

    FlushWaits flushWaits() {
        return flushWaits;
    }

    /** The SDK's {@code flush}, its wait for the flushed state told to {@link FlushWaits} (telemetry). */
    @Override
    public void flush(FlushReq request) {
        FlushWaits observer = flushWaits;
        if (observer == null) {
            super.flush(request);
            return;
        }
        FlushWaits.Flush flush = observer.flushing();
        try {
            super.flush(request);
        } catch (RuntimeException | Error failed) {
            flush.ended(failed);
            throw failed;
        }
        flush.ended(null);
    }

    void switchDatabasesWith(MilvusSdk.DatabaseSwitch databaseSwitch) {
        this.databaseSwitch = databaseSwitch;
    }

    void afterConnect(Runnable hook) {
        afterConnect.add(hook);
        hook.run();
    }

    /**
     * Runs the steps of {@link #afterConnect} again, the client's stub having just been replaced by the SDK's bare
     * one, then moves this client's views to the new connection.
     */
    void connectedAgain() {
        // the adopted channel is in the SDK's field, which a close ends; the former one drains on its own bound
        lastBuilt = null;
        for (Runnable hook : afterConnect) {
            hook.run();
        }
        List<SharedClient> current;
        synchronized (views) {
            current = List.copyOf(views);
        }
        current.forEach(SharedClientViews::follow);
    }

    /** Remembers a view of this client, to move it with the client's connection ({@link #connectedAgain}). */
    void madeView(SharedClient made) {
        views.add(made);
    }

    /**
     * Closes the channel whoever shares the client: the container, when the application stops, or a
     * connect that failed or outlived its bound. A connect still under way is ended with it, even when the
     * SDK had not built its channel yet: that channel is ended as it is built ({@link #built}), so the
     * SDK's {@code Connect} fails at once instead of waiting for its deadline.
     */
    void closeChannel(long maxWaitSeconds) throws InterruptedException {
        closed = true;
        ManagedChannel building = lastBuilt; // built, and perhaps not yet in the SDK's own field
        if (building != null) {
            building.shutdownNow();
        }
        super.close(maxWaitSeconds);
    }

    /**
     * Told by {@link ClientChannels} of each channel the SDK builds for this client, before the SDK keeps
     * it: one built after {@link #closeChannel} is ended at once. Either this sees {@code closed} or the
     * close sees {@code lastBuilt} (both volatile), so no channel escapes a close.
     */
    void built(ManagedChannel channel) {
        lastBuilt = channel;
        if (closed) {
            channel.shutdownNow();
        }
    }

    /**
     * On a shared client, a view whose calls have this deadline (0: none), over the same connection;
     * the shared client is left as it is. Otherwise the SDK's: sets this client's deadline.
     */
    @Override
    public MilvusClientV2 withTimeout(long timeout, TimeUnit timeoutUnit) {
        String shared = alias;
        if (shared == null) {
            return super.withTimeout(timeout, timeoutUnit);
        }
        long nanos = Math.max(0, timeoutUnit.toNanos(timeout));
        return SharedClientViews.view(this, shared, nanos, view == null ? null : view.retry());
    }

    /**
     * On a shared client, a view whose calls are retried by this policy, over the same connection;
     * the shared client is left as it is. Otherwise the SDK's: sets this client's retry policy.
     */
    @Override
    public MilvusClientV2 withRetry(RetryConfig retryConfig) {
        String shared = alias;
        if (shared == null) {
            return super.withRetry(retryConfig);
        }
        if (retryConfig == null) {
            throw new NullPointerException("retryConfig");
        }
        return SharedClientViews.view(this, shared, view == null ? -1 : view.deadlineNanos(), retryConfig);
    }

    @Override
    public void retryConfig(RetryConfig retryConfig) {
        String shared = alias;
        if (shared != null) {
            throw new UnsupportedOperationException("Milvus alias '" + shared + "': retryConfig(...) is refused on "
                    + "the client the container shares with the whole application: it would replace the retry "
                    + "policy of every user. Instead set the retry keys of the alias (milvus.connections." + shared
                    + ".retry.max-attempts, retry.max-time, ...), or use withRetry(...), which returns a client of "
                    + "your own with that policy over the same connection.");
        }
        super.retryConfig(retryConfig);
    }

    @Override
    public void setBlockingStub(MilvusServiceBlockingStub blockingStub) {
        String shared = alias;
        if (shared != null) {
            throw new UnsupportedOperationException("Milvus alias '" + shared + "': setBlockingStub(...) is refused "
                    + "on the client the container shares with the whole application: every user's calls go "
                    + "through that stub, which bounds milvus.connections." + shared + ".connect-timeout and "
                    + "traces them. Instead set milvus.connections." + shared + ".rpc-deadline, use "
                    + "withTimeout(...) or withRetry(...) for a client of your own over the same connection, or "
                    + "add an alias at run time (MilvusConnections.connect(alias, keys)).");
        }
        super.setBlockingStub(blockingStub);
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
        closed = false; // the caller connects again, on purpose
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
