package io.github.milvuscdi.internal.sdk;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.logging.Logger;

/**
 * Removes what the SDK's Netty keeps in thread-locals of threads that are not its own, so that a
 * server's long-lived threads do not pin an application that has stopped.
 *
 * <p>A blocking call of {@code MilvusClientV2} runs partly on the calling thread, where gRPC's Netty
 * (shaded in the SDK) allocates buffers through its thread-local caches. On a thread that Netty did
 * not create, such as a server's request thread ({@code default task-N} on WildFly), these live in
 * an ordinary {@code ThreadLocal} holding an {@code InternalThreadLocalMap}, a class of the SDK. On
 * an application server that thread outlives the application, and the map keeps the application's
 * class loader, with every class it loaded, reachable: each redeployment leaked one. Netty's own
 * {@code FastThreadLocal.removeAll()} empties the current thread and frees its buffer cache; the
 * CDI extension calls {@link #removeFromCurrentThread()} when a request ends and when the
 * application stops.
 *
 * <p>The class is looked up by name, once; should a later SDK shade Netty elsewhere, this becomes a
 * no-op (logged at {@code FINE}) and {@link MilvusSdk#missing()} lists it.
 */
final class GrpcThreadLocals {

    /** Netty's {@code FastThreadLocal} as the SDK shades it. */
    static final String FAST_THREAD_LOCAL =
            "io.milvus.shaded.io.grpc.netty.shaded.io.netty.util.concurrent.FastThreadLocal";

    private static final Logger LOG = Logger.getLogger(GrpcThreadLocals.class.getName());
    private static final MethodHandle REMOVE_ALL = removeAll();

    private GrpcThreadLocals() {}

    /** Removes the SDK's Netty thread-locals from the current thread; cheap when there are none; never throws. */
    static void removeFromCurrentThread() {
        if (REMOVE_ALL == null) {
            return;
        }
        try {
            REMOVE_ALL.invokeExact();
        } catch (Throwable failed) {
            LOG.fine(() -> "Could not remove Netty's thread-locals from "
                    + Thread.currentThread().getName() + ": " + failed);
        }
    }

    /** @return whether the SDK's Netty was found, so that {@link #removeFromCurrentThread()} does something */
    static boolean available() {
        return REMOVE_ALL != null;
    }

    private static MethodHandle removeAll() {
        try {
            Class<?> type = Class.forName(FAST_THREAD_LOCAL, false, GrpcThreadLocals.class.getClassLoader());
            return MethodHandles.publicLookup().findStatic(type, "removeAll", MethodType.methodType(void.class));
        } catch (ReflectiveOperationException | LinkageError | RuntimeException missing) {
            LOG.fine(() ->
                    "No " + FAST_THREAD_LOCAL + " in the SDK (" + missing + "); thread-locals are left as they are");
            return null;
        }
    }
}
