package io.github.milvuscdi.internal.sdk;

import io.milvus.grpc.MilvusServiceGrpc.MilvusServiceBlockingStub;
import io.milvus.shaded.io.grpc.LoadBalancerRegistry;
import io.milvus.shaded.io.grpc.ManagedChannel;
import io.milvus.shaded.io.grpc.NameResolverRegistry;
import io.milvus.v2.client.ConnectConfig;
import io.milvus.v2.client.MilvusClientV2;
import io.milvus.v2.utils.RpcUtils;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;

/**
 * The SDK's private members this library uses, resolved once when this class loads, and the list of
 * what was not found ({@link #missing()}), which {@link MilvusSdk} turns into its policy: refuse to
 * connect, fail the deployment, naming what is missing.
 *
 * <p>A handle is {@code null} when it was not found; callers check {@link MilvusSdk#requireSupported()}
 * first. Method handles, not reflection: {@code getDeclaredMethod} resolves every type in the client's
 * signatures (some 150 request and response classes), which costs tens of milliseconds.
 *
 * <p>Stateless after loading and thread-safe.
 */
final class SdkHandles {

    private static final List<String> MISSING = new ArrayList<>();
    static final MethodHandle CONNECT = privateMethod("connect", ConnectConfig.class);
    static final MethodHandle INIT_SERVICES = privateMethod("initServices", String.class);
    static final VarHandle CHANNEL = privateField("channel", ManagedChannel.class);
    static final VarHandle BLOCKING_STUB = privateField("blockingStub", MilvusServiceBlockingStub.class);
    /** A view of a shared client ({@link SharedClient}) shares the client's configuration and has its own retry. */
    static final VarHandle CONNECT_CONFIG = privateField("connectConfig", ConnectConfig.class);

    static final VarHandle RPC_UTILS = privateField("rpcUtils", RpcUtils.class);
    /** Checked, never called: every call of the client takes its stub from the field above through it. */
    private static final MethodHandle GET_RPC_STUB = privateGetter("getRpcStub", MilvusServiceBlockingStub.class);

    private static final boolean SET_BLOCKING_STUB = publicMethod("setBlockingStub", MilvusServiceBlockingStub.class);
    private static final boolean STREAM_TRACERS =
            shadedGrpcClass("ClientStreamTracer") && shadedGrpcClass("ForwardingClientCall");

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

    private SdkHandles() {}

    /** @return one description per missing piece; empty when the SDK is the one this library was built for */
    static List<String> missing() {
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

    private static boolean grpcServicesFound() {
        try {
            return LoadBalancerRegistry.getDefaultRegistry().getProvider("pick_first") != null
                    && !"unknown"
                            .equals(NameResolverRegistry.getDefaultRegistry()
                                    .asFactory()
                                    .getDefaultScheme());
        } catch (RuntimeException | LinkageError broken) {
            return false;
        }
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
