package io.github.milvuscdi.internal.sdk;

import io.milvus.grpc.MilvusServiceGrpc.MilvusServiceBlockingStub;
import io.milvus.shaded.io.grpc.ClientInterceptor;
import io.milvus.shaded.io.grpc.ManagedChannel;
import io.milvus.v2.client.ConnectConfig;
import io.milvus.v2.client.MilvusClientV2;
import io.milvus.v2.utils.ClientUtils;
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
 * <p>Loading this class also keeps credentials out of gRPC's frame log ({@link FrameLogFilter}).
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
    /** Checked, never called: every call of the client takes its stub from the field above through it. */
    private static final MethodHandle GET_RPC_STUB = privateGetter("getRpcStub", MilvusServiceBlockingStub.class);

    private static final boolean SET_BLOCKING_STUB = publicMethod("setBlockingStub", MilvusServiceBlockingStub.class);
    private static final boolean STREAM_TRACERS =
            shadedGrpcClass("ClientStreamTracer") && shadedGrpcClass("ForwardingClientCall");

    static {
        FrameLogFilter.install(); // before any channel of the SDK could log a frame
    }

    private MilvusSdk() {}

    /**
     * What this library needs of the SDK and did not find.
     *
     * @return one description per missing piece; empty when the SDK is the one this library was built for
     */
    public static List<String> missing() {
        List<String> missing = new ArrayList<>(MISSING);
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
        FrameLogFilter.install(); // again: a container that stopped in this JVM took it off
        CONNECT.invoke(client, config);
        INIT_SERVICES.invoke(client, config.getDbName());
    }

    /**
     * A client with no channel yet, for {@link #connect}: a subclass of the SDK's client whose
     * {@code useDatabase} and {@code close} are refused once {@link #shareWithApplication shared}.
     *
     * @return the client
     */
    public static MilvusClientV2 unconnectedClient() {
        return new SharedClient();
    }

    /**
     * Marks a client as shared by the whole application: from now on its {@code useDatabase} and
     * {@code close} throw {@link UnsupportedOperationException} saying why and what to do instead;
     * {@link #close(MilvusClientV2, long)} still closes it. Does nothing to a client not built by
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
     * @param timer runs the bounds; its tasks are short
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
                client.setBlockingStub(stub.withInterceptors(bound));
            }
        };
        if (client instanceof SharedClient shared) {
            shared.afterConnect(install);
        } else {
            install.run();
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
     * A new channel built by the SDK from a configuration, as its clients build theirs; the caller shuts it down.
     *
     * @param config the configuration
     * @return the channel
     */
    public static ManagedChannel newChannel(ConnectConfig config) {
        return new ClientUtils().getChannel(config);
    }

    /**
     * Stops hiding credentials in gRPC's frame log, when the container that loaded this copy of the
     * library stops, so that the server-wide logger keeps nothing of a stopped application.
     */
    public static void releaseFrameLog() {
        FrameLogFilter.uninstall();
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
