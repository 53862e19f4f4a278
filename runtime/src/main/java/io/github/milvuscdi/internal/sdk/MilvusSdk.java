package io.github.milvuscdi.internal.sdk;

import io.milvus.grpc.MilvusServiceGrpc.MilvusServiceBlockingStub;
import io.milvus.shaded.io.grpc.ClientInterceptor;
import io.milvus.shaded.io.grpc.ManagedChannel;
import io.milvus.v2.client.ConnectConfig;
import io.milvus.v2.client.MilvusClientV2;
import io.milvus.v2.utils.ClientUtils;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The entry into the Milvus SDK (2.6.22) where it has no API: its private connect steps, the
 * client's gRPC channel and stub, and its channel builder. The other classes of this package do the
 * work ({@link SdkHandles}, {@link CallInterceptors}, {@link SharedClientViews}, …); the rest of the
 * library calls only this one, besides {@link ProbeCalls} (the readiness probe's mark on its calls,
 * which reaches nothing private) and {@link SdkCleanup} (what the SDK's gRPC and Netty leave behind
 * when a request ends or the application stops).
 *
 * <p>Loading this class also keeps credentials out of gRPC's frame log ({@link FrameLog}).
 *
 * <p>Why each is needed is said where it is used; the policy is said here, once: every access is
 * resolved when this class loads ({@link SdkHandles}), and what is missing is listed by {@link #missing()}. The
 * containers report a non-empty list as a deployment problem naming the SDK and what it lacks, and
 * a registry used without a container refuses to connect with the same message: an SDK upgrade that
 * breaks one of these fails loudly at once, never by quietly behaving worse. {@code MilvusSdkTest}
 * exercises each access against a real server and fails on such an upgrade.
 *
 * <p>Stateless and thread-safe.
 */
public final class MilvusSdk {

    static {
        FrameLog.install(); // before any channel of the SDK could log a frame
    }

    private MilvusSdk() {}

    /**
     * What this library needs of the SDK and did not find.
     *
     * @return one description per missing piece; empty when the SDK is the one this library was built for
     */
    public static List<String> missing() {
        return SdkHandles.missing();
    }

    /**
     * Throws when the SDK lacks something this library needs.
     *
     * @throws IllegalStateException naming what is missing and the SDK version this library needs
     */
    public static void requireSupported() {
        List<String> missing = missing();
        if (!missing.isEmpty()) {
            throw new IllegalStateException(unsupported(missing));
        }
    }

    /**
     * The message for an SDK that lacks something.
     *
     * @param missing what {@link #missing()} returned
     * @return one sentence naming what is missing and the version to use
     */
    public static String unsupported(List<String> missing) {
        if (missing.equals(List.of(SdkHandles.SERVICE_FILES))) {
            return "Milvus CDI cannot connect: the class path lacks " + SdkHandles.SERVICE_FILES;
        }
        return "The Milvus SDK on the class path (io.milvus:milvus-sdk-java) lacks what Milvus CDI needs: "
                + String.join(", ", missing) + ". Use io.milvus:milvus-sdk-java 2.6.22, for instance by pinning it "
                + "in <dependencyManagement>";
    }

    /**
     * Builds a client and connects it through the SDK's own connect steps rather than its
     * constructor: when the constructor's {@code Connect} fails, its channel is left open with no
     * reference to close it; here the caller holds the client and can close it.
     *
     * @param client a client built with {@link #unconnectedClient()}
     * @param config the configuration
     * @throws Throwable what the SDK threw
     */
    public static void connect(MilvusClientV2 client, ConnectConfig config) throws Throwable {
        requireSupported();
        FrameLog.install(); // again: another application sharing this SDK may have put Netty's own back
        SdkHandles.CONNECT.invoke(client, config);
        SdkHandles.INIT_SERVICES.invoke(client, config.getDbName());
    }

    /**
     * Makes every channel a client builds send credentials per call, as {@code credentials} adds them to each
     * call, in place of the header the SDK fixes when it builds the channel: see {@link PerCallCredentials}.
     *
     * @param client a client from {@link #unconnectedClient()}, not connected yet
     * @param credentials adds {@code authorization} to each call; the client's configuration carries none
     */
    public static void sendCredentialsPerCall(MilvusClientV2 client, ClientInterceptor credentials) {
        requireSupported();
        PerCallCredentials.install(client, credentials);
    }

    /**
     * A client with no channel yet, for {@link #connect}: a subclass of the SDK's client that, once
     * {@link #shareWithApplication shared}, lets no caller change what another caller's calls do
     * (see {@link SharedClient}).
     *
     * @return the client
     */
    public static MilvusClientV2 unconnectedClient() {
        return new SharedClient();
    }

    /**
     * Marks a client as shared by the whole application: from now on its {@code useDatabase},
     * {@code close}, {@code retryConfig} and {@code setBlockingStub} throw
     * {@link UnsupportedOperationException} saying why and what to do instead, and its
     * {@code withTimeout} and {@code withRetry} return views of the caller's own (see
     * {@link SharedClient}); {@link #close(MilvusClientV2, long)} still closes it. Call it before
     * anyone else can reach the client. Does nothing to a client not built by
     * {@link #unconnectedClient()}.
     *
     * @param client the client
     * @param alias the alias it serves, named in the refusals
     */
    public static void shareWithApplication(MilvusClientV2 client, String alias) {
        if (client instanceof SharedClient shared) {
            shared.share(alias);
        }
    }

    /**
     * Closes a client's channel, shared or not, waiting at most the given time.
     *
     * @param client the client
     * @param maxWaitSeconds the bound on waiting for the channel to terminate
     * @throws InterruptedException when interrupted while waiting
     */
    public static void close(MilvusClientV2 client, long maxWaitSeconds) throws InterruptedException {
        if (client instanceof SharedClient shared) {
            shared.closeChannel(maxWaitSeconds);
        } else {
            client.close(maxWaitSeconds);
        }
    }

    /**
     * Bounds how long the client's calls wait for a usable connection, now and after every reconnect
     * the SDK makes ({@code useDatabase} on a client not shared): see {@link ReadyWaitBound} for why
     * this is done on the wait alone. A call still waiting after {@code boundMillis} ends with
     * {@code DEADLINE_EXCEEDED} and {@code failure} as its description, which the SDK does not retry.
     *
     * @param client a connected client built by {@link #unconnectedClient()}
     * @param boundMillis the bound, e.g. the alias's connect-timeout
     * @param failure the description of a call that timed out: alias, address, what happened
     * @param timer runs the bounds of the calls that wait for a connection (a call on a ready channel
     *     gets its stream at once and arms none); its tasks are short
     * @param unavailable called when a call timed out waiting
     * @param available called when a call reached the server
     */
    public static void boundReadyWait(
            MilvusClientV2 client,
            long boundMillis,
            String failure,
            ScheduledExecutorService timer,
            Runnable unavailable,
            Runnable available) {
        requireSupported();
        CallInterceptors.installAfterEveryConnect(
                client,
                new ReadyWaitBound(
                        TimeUnit.MILLISECONDS.toNanos(boundMillis),
                        failure,
                        timer,
                        CallInterceptors.resettingBackoff(client, unavailable, available)));
    }

    /** Switches a client not shared to another database, in place of the SDK's {@code useDatabase}. */
    @FunctionalInterface
    public interface DatabaseSwitch {
        /**
         * Connects the client again, to another database; the steps of {@link #afterEveryConnect} run after.
         *
         * @param dbName the database
         * @throws InterruptedException when interrupted while closing the former channel
         */
        void use(String dbName) throws InterruptedException;
    }

    /**
     * Makes {@code useDatabase} on a client not shared reconnect this library's way (bounded, with what a
     * connect needs written again) rather than the SDK's. Does nothing to a client not built by
     * {@link #unconnectedClient()}.
     *
     * @param client the client
     * @param databaseSwitch how it switches databases
     */
    public static void switchDatabasesWith(MilvusClientV2 client, DatabaseSwitch databaseSwitch) {
        if (client instanceof SharedClient shared) {
            shared.switchDatabasesWith(databaseSwitch);
        }
    }

    /**
     * A host the SDK can take in its uri in place of one it cannot ({@code milvus_standalone}, an IPv6 address
     * with a zone), resolved by gRPC through a resolver of this library each time it connects: see
     * {@link HostNameResolution}. Give it back with {@link #releaseHost} once the client is closed.
     *
     * @param host the host as configured, without brackets
     * @return the stand-in host
     */
    public static String hostStandIn(String host) {
        return HostNameResolution.standIn(host);
    }

    /**
     * Gives back a stand-in from {@link #hostStandIn}.
     *
     * @param host the host given to {@link #hostStandIn}
     */
    public static void releaseHost(String host) {
        HostNameResolution.release(host);
    }

    /**
     * Keeps the SDK's retry loop from repeating an insert or delete whose outcome is unknown, now and after
     * every reconnect the SDK makes: see {@link UnsafeWriteGuard}. Such a call fails with
     * {@code DEADLINE_EXCEEDED} and a description naming the alias, the address and {@code key}.
     *
     * @param client a connected client, after {@link #boundReadyWait}
     * @param alias the alias it serves
     * @param address the server's address
     * @param key the full key that turns repeating such calls back on
     */
    public static void guardUnsafeWrites(MilvusClientV2 client, String alias, String address, String key) {
        requireSupported();
        CallInterceptors.guardUnsafeWrites(client, alias, address, key);
    }

    /**
     * Runs a step now and, on a client built by {@link #unconnectedClient()}, again after every reconnect the
     * SDK makes ({@code useDatabase} on a client not shared), after the steps registered before it.
     *
     * @param client a connected client
     * @param step e.g. an interceptor installed on the stub the SDK built
     */
    public static void afterEveryConnect(MilvusClientV2 client, Runnable step) {
        if (client instanceof SharedClient shared) {
            shared.afterConnect(step);
        } else {
            step.run();
        }
    }

    /**
     * Moves the connection of a freshly connected client into a client in use, as the SDK's own failover does
     * ({@code updatePrimaryConnection}: its channel and stub): calls that start from now on use it, calls under way
     * finish on the former channel, which the caller closes gracefully. This library's steps
     * ({@link #afterEveryConnect}) then wrap the new stub.
     *
     * @param client the client in use, built by {@link #unconnectedClient()}
     * @param fresh a client connected with {@link #connect}, given up afterwards
     * @return the former channel, for the caller to close
     */
    public static ManagedChannel adoptConnection(MilvusClientV2 client, MilvusClientV2 fresh) {
        requireSupported();
        ManagedChannel former;
        synchronized (client) { // the lock the SDK's own swap holds
            former = (ManagedChannel) SdkHandles.CHANNEL.getVolatile(client);
            SdkHandles.CHANNEL.setVolatile(client, SdkHandles.CHANNEL.getVolatile(fresh));
            SdkHandles.BLOCKING_STUB.setVolatile(client, SdkHandles.BLOCKING_STUB.getVolatile(fresh));
        }
        if (client instanceof SharedClient shared) {
            shared.connectedAgain();
        }
        return former;
    }

    /**
     * The client's gRPC channel: the readiness probe asks the server on it with a deadline of its own.
     *
     * @param client a client
     * @return its channel; {@code null} before it connected
     */
    public static ManagedChannel channel(MilvusClientV2 client) {
        requireSupported();
        return (ManagedChannel) SdkHandles.CHANNEL.getVolatile(client);
    }

    /**
     * The client's blocking stub, which carries the SDK's interceptors (credentials, database).
     *
     * @param client a client
     * @return its stub; {@code null} before it connected
     */
    public static MilvusServiceBlockingStub blockingStub(MilvusClientV2 client) {
        requireSupported();
        return (MilvusServiceBlockingStub) SdkHandles.BLOCKING_STUB.getVolatile(client);
    }

    /**
     * Makes every later call of a connected client go through an interceptor, by replacing its
     * blocking stub with one that carries it: the SDK has no interceptor hook, and each of its calls
     * takes this stub from the client ({@code getRpcStub()}) rather than keeping a copy. The SDK's own
     * interceptors (credentials, database, client identifier) still run, after this one.
     *
     * <p>What the SDK does outside that stub is not intercepted: connecting, and the state polls of
     * {@code flush} (a stub built on the channel; see {@link #observeFlushes}). {@code useDatabase} reconnects and builds a new
     * stub, without the interceptor.
     *
     * @param client a connected client
     * @param interceptor the interceptor, in the SDK's shaded gRPC
     * @throws IllegalStateException when the client is not connected, or the SDK lacks the stub
     */
    public static void interceptCalls(MilvusClientV2 client, ClientInterceptor interceptor) {
        requireSupported();
        CallInterceptors.interceptCalls(client, interceptor);
    }

    /**
     * Tells an observer of each {@code flush} of a client built by {@link #unconnectedClient()} and of its
     * views: see {@link FlushWaits}. Does nothing to another client.
     *
     * @param client the client
     * @param observer told of each flush
     */
    public static void observeFlushes(MilvusClientV2 client, FlushWaits observer) {
        if (client instanceof SharedClient shared) {
            shared.observeFlushes(observer);
        }
    }

    /**
     * A new channel built by the SDK from a configuration, as its clients build theirs; the caller shuts it down.
     *
     * @param config the configuration
     * @return the channel
     */
    public static ManagedChannel newChannel(ConnectConfig config) {
        return new ClientUtils().getChannel(config);
    }
}
