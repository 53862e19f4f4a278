package io.github.milvuscdi.internal.sdk;

import io.milvus.shaded.io.grpc.CallOptions;
import io.milvus.shaded.io.grpc.Channel;
import io.milvus.shaded.io.grpc.ClientCall;
import io.milvus.shaded.io.grpc.ClientInterceptor;
import io.milvus.shaded.io.grpc.MethodDescriptor;
import java.util.concurrent.TimeUnit;

/**
 * The deadline of a view's calls ({@link SharedClient#withTimeout}), set on each call as it starts,
 * in place of the alias's {@code rpc-deadline}: what the SDK's {@code withTimeout} does for its whole
 * client, done for one view's calls. Thread-safe.
 */
final class CallDeadline implements ClientInterceptor {

    private final long nanos;

    /** @param nanos the deadline of each call from its start; 0 for none */
    CallDeadline(long nanos) {
        this.nanos = nanos;
    }

    @Override
    public <Q, A> ClientCall<Q, A> interceptCall(MethodDescriptor<Q, A> method, CallOptions options, Channel next) {
        CallOptions own =
                nanos == 0 ? options.withDeadline(null) : options.withDeadlineAfter(nanos, TimeUnit.NANOSECONDS);
        return next.newCall(method, own);
    }
}
