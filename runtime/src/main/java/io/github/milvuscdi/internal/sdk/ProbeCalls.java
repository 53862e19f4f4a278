package io.github.milvuscdi.internal.sdk;

import io.milvus.grpc.MilvusServiceGrpc.MilvusServiceBlockingStub;
import io.milvus.shaded.io.grpc.CallOptions;

/**
 * The readiness probe's mark on its calls: interceptors of this library that record calls (telemetry) leave the
 * marked ones out, since a probe every few seconds is noise, not the application's work.
 *
 * <p>Stateless and thread-safe.
 */
public final class ProbeCalls {

    /** Set on the calls of the readiness probe: interceptors that record calls leave them out. */
    private static final CallOptions.Key<Boolean> PROBE = CallOptions.Key.createWithDefault("milvus-cdi-probe", false);

    private ProbeCalls() {}

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
}
