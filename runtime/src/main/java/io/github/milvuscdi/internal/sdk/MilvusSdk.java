package io.github.milvuscdi.internal.sdk;

import io.milvus.grpc.MilvusServiceGrpc.MilvusServiceBlockingStub;
import io.milvus.shaded.io.grpc.CallOptions;
import io.milvus.shaded.io.grpc.ClientInterceptor;
import io.milvus.shaded.io.grpc.ManagedChannel;
import io.milvus.v2.client.ConnectConfig;
import io.milvus.v2.client.MilvusClientV2;
import io.milvus.v2.client.RetryConfig;
import io.milvus.v2.utils.ClientUtils;
import io.milvus.v2.utils.RpcUtils;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The one place that reaches inside the Milvus SDK (2.6.22) where it has no API: its private connect
 * steps, the client's gRPC channel and stub, its shaded Netty's thread-locals, its event-loop
 * threads and its channel builder.
 *
 * <p>Loading this class also keeps credentials out of gRPC's frame log ({@link FrameLog}).
 *
 * <p>Why each is needed is said where it is used; the policy is said here, once: every access is
 * resolved when this class loads, and what is missing is listed by {@link #missing()}. The
 * containers report a non-empty list as a deployment problem naming the SDK and what it lacks, and
 * a registry used without a container refuses to connect with the same message: an SDK upgrade that
 * breaks one of these fails loudly at once, never by quietly behaving worse. {@code MilvusSdkTest}
 * exercises each access against a real server and fails on such an upgrade.
 *
 * <p>Stateless and thread-safe.
 */
public final class MilvusSdk {

    private static final List<String> MISSING = new ArrayList<>();
    private static final MethodHandle CONNECT = privateMethod("connect", ConnectConfig.class);
    private static final MethodHandle INIT_SERVICES = privateMethod("initServices", String.class);
    private static final VarHandle CHANNEL = privateField("channel", ManagedChannel.class);
    private static final VarHandle BLOCKING_STUB = privateField("blockingStub", MilvusServiceBlockingStub.class);
    /** A view of a shared client ({@link SharedClient}) shares the client's configuration and has its own retry. */
    private static final VarHandle CONNECT_CONFIG = privateField("connectConfig", ConnectConfig.class);

    private static final VarHandle RPC_UTILS = privateField("rpcUtils", RpcUtils.class);
    /** Checked, never called: every call of the client takes its stub from the field above through it. */
    private static final MethodHandle GET_RPC_STUB = privateGetter("getRpcStub", MilvusServiceBlockingStub.class);

    /** Set on the calls of the readiness probe: interceptors that record calls leave them out. */
    private static final CallOptions.Key<Boolean> PROBE = CallOptions.Key.createWithDefault("milvus-cdi-probe", false);

    private static final boolean SET_BLOCKING_STUB = publicMethod("setBlockingStub", MilvusServiceBlockingStub.class);
    private static final boolean STREAM_TRACERS =
            shadedGrpcClass("ClientStreamTracer") && shadedGrpcClass("ForwardingClientCall");

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
        List<String> missing = new ArrayList<>(MISSING);
        if (!FrameLog.available()) {
            missing.add("the shaded Netty method InternalLoggerFactory.newInstance(String) (hiding credentials in "
                    + "gRPC's frame log)");
        }
        if (!GrpcThreadLocals.available()) {
            missing.add("the shaded Netty class " + GrpcThreadLocals.FAST_THREAD_LOCAL);
        }
        if (!SET_BLOCKING_STUB) {
            missing.add("MilvusClientV2.setBlockingStub(MilvusServiceBlockingStub)");
        }
        if (!STREAM_TRACERS) {
            missing.add("the shaded gRPC classes io.milvus.shaded.io.grpc.ClientStreamTracer and "
                    + "ForwardingClientCall (bounding the wait for a usable connection)");
        }
        if (PerCallCredentials.missing() != null) {
            missing.add(PerCallCredentials.missing());
        }
        if (!grpcServicesFound()) {
            missing.add(SERVICE_FILES);
        }
        return missing;
    }

    /**
     * What {@link #missing()} says when gRPC finds no name resolver or load balancer: gRPC looks them up
     * through {@code META-INF/services}, which an application packaged as one jar loses when its shade or
     * assembly plugin does not merge service files. Channels would then fail at every connect with
     * gRPC's words, not ours.
     */
    static final String SERVICE_FILES = "the SDK's META-INF/services files for its shaded gRPC"
            + " (io.milvus.shaded.io.grpc.NameResolverProvider and io.milvus.shaded.io.grpc.LoadBalancerProvider):"
            + " gRPC finds no name resolver or load balancer. An application packaged as one jar loses them when the"
            + " maven-shade-plugin runs without <transformer implementation=\"org.apache.maven.plugins.shade.resource."
            + "ServicesResourceTransformer\"/> (Gradle's shadow: mergeServiceFiles()), or the assembly plugin"
            + " without the metaInf-services container descriptor handler: add it";

    private static boolean grpcServicesFound() {
        try {
            return io.milvus.shaded.io.grpc.LoadBalancerRegistry.getDefaultRegistry()
                                    .getProvider("pick_first")
                            != null
                    && !"unknown"
                            .equals(io.milvus.shaded.io.grpc.NameResolverRegistry.getDefaultRegistry()
                                    .asFactory()
                                    .getDefaultScheme());
        } catch (RuntimeException | LinkageError broken) {
            return false;
        }
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
        if (missing.equals(List.of(SERVICE_FILES))) {
            return "Milvus CDI cannot connect: the class path lacks " + SERVICE_FILES;
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
        CONNECT.invoke(client, config);
        INIT_SERVICES.invoke(client, config.getDbName());
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
     * A view of a shared client (or of another view): a client over the same channel and stub, with
     * its own deadline and retry policy, that cannot be closed. The SDK's client takes its channel,
     * stub, configuration and retry policy from private fields, with no way to build one around a
     * channel that exists: they are set here.
     *
     * @param source the shared client or a view of it
     * @param alias the alias, named in the view's refusals
     * @param deadlineNanos the deadline of each call, 0 for none; {@code -1}: the alias's {@code rpc-deadline}
     * @param retry the retry policy; {@code null}: the alias's
     * @return the view
     */
    static SharedClient view(SharedClient source, String alias, long deadlineNanos, RetryConfig retry) {
        requireSupported();
        SharedClient.View sourceView = source.view();
        MilvusServiceBlockingStub sharedStub = sourceView != null
                ? sourceView.sharedStub()
                : (MilvusServiceBlockingStub) BLOCKING_STUB.getVolatile(source);
        if (sharedStub == null) {
            throw new IllegalStateException("Milvus alias '" + alias + "': the client is not connected");
        }
        SharedClient view = new SharedClient(alias, new SharedClient.View(sharedStub, deadlineNanos, retry));
        ConnectConfig config = (ConnectConfig) CONNECT_CONFIG.getVolatile(source);
        CHANNEL.setVolatile(view, CHANNEL.getVolatile(source));
        CONNECT_CONFIG.setVolatile(view, config);
        if (retry != null) {
            RpcUtils own = new RpcUtils();
            own.retryConfig(retry);
            RPC_UTILS.setVolatile(view, own);
        } else {
            RPC_UTILS.setVolatile(view, RPC_UTILS.getVolatile(source));
        }
        BLOCKING_STUB.setVolatile(
                view, deadlineNanos < 0 ? sharedStub : sharedStub.withInterceptors(new CallDeadline(deadlineNanos)));
        try {
            INIT_SERVICES.invoke(view, config == null ? null : config.getDbName());
        } catch (RuntimeException | Error failed) {
            throw failed;
        } catch (Throwable unexpected) {
            throw new IllegalStateException(unexpected);
        }
        return view;
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
        ReadyWaitBound bound = new ReadyWaitBound(
                TimeUnit.MILLISECONDS.toNanos(boundMillis), failure, timer, new ReadyWaitBound.Availability() {
                    @Override
                    public void unavailable() {
                        // gRPC backs off between reconnect attempts up to two minutes: after an outage
                        // of a few seconds a restarted server could wait that long for its clients.
                        // A call that waited the whole bound asks for an attempt now instead, at most
                        // once per call and a no-op unless the channel is in TRANSIENT_FAILURE.
                        ManagedChannel channel = (ManagedChannel) CHANNEL.getVolatile(client);
                        if (channel != null) {
                            channel.resetConnectBackoff();
                        }
                        unavailable.run();
                    }

                    @Override
                    public void available() {
                        available.run();
                    }
                });
        Runnable install = () -> {
            MilvusServiceBlockingStub stub = (MilvusServiceBlockingStub) BLOCKING_STUB.getVolatile(client);
            if (stub != null) {
                BLOCKING_STUB.setVolatile(client, stub.withInterceptors(bound)); // setBlockingStub: refused once shared
            }
        };
        afterEveryConnect(client, install);
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
        UnsafeWriteGuard guard = new UnsafeWriteGuard(alias, address, key);
        afterEveryConnect(client, () -> {
            MilvusServiceBlockingStub stub = (MilvusServiceBlockingStub) BLOCKING_STUB.getVolatile(client);
            if (stub != null) {
                client.setBlockingStub(stub.withInterceptors(guard));
            }
        });
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
     * The client's gRPC channel: the readiness probe asks the server on it with a deadline of its own.
     *
     * @param client a client
     * @return its channel; {@code null} before it connected
     */
    public static ManagedChannel channel(MilvusClientV2 client) {
        requireSupported();
        return (ManagedChannel) CHANNEL.getVolatile(client);
    }

    /**
     * The client's blocking stub, which carries the SDK's interceptors (credentials, database).
     *
     * @param client a client
     * @return its stub; {@code null} before it connected
     */
    public static MilvusServiceBlockingStub blockingStub(MilvusClientV2 client) {
        requireSupported();
        return (MilvusServiceBlockingStub) BLOCKING_STUB.getVolatile(client);
    }

    /**
     * Makes every later call of a connected client go through an interceptor, by replacing its
     * blocking stub with one that carries it: the SDK has no interceptor hook, and each of its calls
     * takes this stub from the client ({@code getRpcStub()}) rather than keeping a copy. The SDK's own
     * interceptors (credentials, database, client identifier) still run, after this one.
     *
     * <p>What the SDK does outside that stub is not intercepted: connecting, and the state polls of
     * {@code flush} (a stub built on the channel). {@code useDatabase} reconnects and builds a new
     * stub, without the interceptor.
     *
     * @param client a connected client
     * @param interceptor the interceptor, in the SDK's shaded gRPC
     * @throws IllegalStateException when the client is not connected, or the SDK lacks the stub
     */
    public static void interceptCalls(MilvusClientV2 client, ClientInterceptor interceptor) {
        requireSupported();
        MilvusServiceBlockingStub stub = (MilvusServiceBlockingStub) BLOCKING_STUB.getVolatile(client);
        if (stub == null) {
            throw new IllegalStateException("the client is not connected");
        }
        BLOCKING_STUB.setVolatile(client, stub.withInterceptors(interceptor));
    }

    /**
     * Marks a stub's calls as the readiness probe's: interceptors of this library that record calls
     * (telemetry) leave them out, since a probe every few seconds is noise, not the application's work.
     *
     * @param stub a stub on a client's channel
     * @return the stub whose calls carry the mark
     */
    public static MilvusServiceBlockingStub probing(MilvusServiceBlockingStub stub) {
        return stub.withOption(PROBE, true);
    }

    /**
     * Whether a call was made by the readiness probe ({@link #probing}).
     *
     * @param options the call's options, as an interceptor sees them
     * @return {@code true} for a probe's call
     */
    public static boolean isProbe(CallOptions options) {
        return options.getOption(PROBE);
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

    /**
     * Called when the container that loaded this copy of the library stops: an SDK that outlives this
     * copy gets its own logger factory back, so that it keeps nothing of a stopped application; see
     * {@link FrameLog}.
     */
    public static void releaseFrameLog() {
        FrameLog.release();
    }

    /** Removes the SDK's Netty thread-locals from the current thread; see {@link GrpcThreadLocals}. */
    public static void removeThreadLocals() {
        GrpcThreadLocals.removeFromCurrentThread();
    }

    /** Waits, bounded, for the SDK's gRPC event loops to end; see {@link GrpcEventLoops}. */
    public static void awaitEventLoopsEnd() {
        GrpcEventLoops.awaitEnd();
    }

    private static boolean publicMethod(String name, Class<?> parameter) {
        try {
            MethodHandles.publicLookup()
                    .findVirtual(MilvusClientV2.class, name, MethodType.methodType(void.class, parameter));
            return true;
        } catch (NoSuchMethodException | IllegalAccessException | RuntimeException unavailable) {
            return false;
        }
    }

    private static boolean shadedGrpcClass(String simpleName) {
        String name = "io.milvus.shaded.io.grpc." + simpleName;
        try {
            Class.forName(name, false, MilvusClientV2.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError unavailable) {
            return false;
        }
    }

    private static MethodHandles.Lookup privateLookup() throws IllegalAccessException {
        return MethodHandles.privateLookupIn(MilvusClientV2.class, MethodHandles.lookup());
    }

    /**
     * A method handle, not {@code getDeclaredMethod}: that one resolves every type in the client's
     * signatures (some 150 request and response classes), which costs tens of milliseconds.
     */
    private static MethodHandle privateMethod(String name, Class<?> parameter) {
        try {
            return privateLookup()
                    .findVirtual(MilvusClientV2.class, name, MethodType.methodType(void.class, parameter));
        } catch (NoSuchMethodException | IllegalAccessException | RuntimeException unavailable) {
            MISSING.add("MilvusClientV2." + name + "(" + parameter.getSimpleName() + ")");
            return null;
        }
    }

    private static MethodHandle privateGetter(String name, Class<?> type) {
        try {
            return privateLookup().findVirtual(MilvusClientV2.class, name, MethodType.methodType(type));
        } catch (NoSuchMethodException | IllegalAccessException | RuntimeException unavailable) {
            MISSING.add("MilvusClientV2." + name + "() returning " + type.getSimpleName());
            return null;
        }
    }

    private static VarHandle privateField(String name, Class<?> type) {
        try {
            return privateLookup().findVarHandle(MilvusClientV2.class, name, type);
        } catch (NoSuchFieldException | IllegalAccessException | RuntimeException unavailable) {
            MISSING.add("the field MilvusClientV2." + name + " of type " + type.getSimpleName());
            return null;
        }
    }
}
