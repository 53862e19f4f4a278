package io.github.milvuscdi.internal.client;

import io.github.milvuscdi.internal.config.ConnectionSettings;
import io.github.milvuscdi.internal.sdk.MilvusSdk;
import io.milvus.shaded.io.grpc.ConnectivityState;
import io.milvus.shaded.io.grpc.ManagedChannel;
import io.milvus.v2.client.MilvusClientV2;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * Hands a client in use over to a new connection without failing its calls: the new channel is connected first,
 * then becomes the client's, then the former one is shut down gracefully (gRPC's {@code shutdown()}: calls under
 * way finish on it, new ones are refused) and ended at once ({@code shutdownNow()}) only after {@link #grace}.
 *
 * <p>Why no call fails: a call that started on the former channel finishes there; a call that took the former
 * stub just before the swap and reaches the former channel after its shutdown is refused by gRPC before anything
 * is sent ({@code UNAVAILABLE}), and the SDK's retry repeats it on the client's stub, the new one (each attempt
 * asks the client for its stub). A former channel with no usable connection (the server moved to certificates it
 * does not trust) is ended at once: nothing runs on it, and the calls waiting on it for a connection are refused
 * the same way and retried on the new one, instead of failing after {@code connect-timeout}. The views made by
 * {@code withTimeout}/{@code withRetry} move to the new channel with the client. What can still fail: a call
 * running longer than {@link #grace} (it is cancelled), and a call of an alias whose {@code retry.max-attempts}
 * is 1 that meets the refusal.
 *
 * <p>Stateless and thread-safe.
 */
final class ChannelHandover {

    private static final Logger LOG = Logger.getLogger(ChannelHandover.class.getName());
    /** How long calls under way may go on on the former channel when the alias has no {@code rpc-deadline}. */
    static final Duration DEFAULT_GRACE = Duration.ofSeconds(60);

    private ChannelHandover() {}

    /** @return how long calls under way may go on on the former channel: the alias's rpc-deadline, else a minute */
    static Duration grace(ConnectionSettings settings) {
        Duration deadline = settings.rpcDeadline();
        return deadline != null && !deadline.isZero() ? deadline.plusSeconds(1) : DEFAULT_GRACE;
    }

    /**
     * Makes {@code fresh}'s connection the client's and closes the former one gracefully, bounded by {@link #grace}.
     *
     * @param settings the alias's settings
     * @param client the client in use
     * @param fresh a client just connected with the same settings; given up
     * @param timer ends the former channel at once after the grace if calls still run on it
     */
    static void handOver(
            ConnectionSettings settings, MilvusClientV2 client, MilvusClientV2 fresh, ScheduledExecutorService timer) {
        ManagedChannel former = MilvusSdk.adoptConnection(client, fresh);
        if (former == null) {
            return;
        }
        boolean usable = former.getState(false) == ConnectivityState.READY; // read first: shutdown() changes it
        former.shutdown();
        if (!usable) {
            former.shutdownNow(); // no call under way on it; those waiting for a connection go to the new one
        }
        Duration grace = grace(settings);
        timer.schedule(
                () -> {
                    if (!former.isTerminated()) {
                        former.shutdownNow();
                    }
                },
                grace.toMillis(),
                TimeUnit.MILLISECONDS);
        LOG.info(() -> "Milvus alias '" + settings.alias() + "': its certificate files changed; reconnected to "
                + settings.address() + " with them. The former connection closes once its calls end (within "
                + grace.toSeconds() + " s)");
    }
}
