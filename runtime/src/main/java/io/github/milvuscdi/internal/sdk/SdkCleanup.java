package io.github.milvuscdi.internal.sdk;

/**
 * What the SDK's shaded gRPC and Netty leave behind in the process, removed when a request ends or the application
 * stops, so that a server that outlives the application (its threads, an SDK shared by applications) keeps nothing
 * of it: the thread-locals of a calling thread ({@link GrpcThreadLocals}), the event-loop threads
 * ({@link GrpcEventLoops}) and the frame log's logger factory ({@link FrameLog}).
 *
 * <p>Stateless and thread-safe; what waits is bounded.
 */
public final class SdkCleanup {

    private SdkCleanup() {}

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
}
