package io.github.milvuscdi.internal.client;

import io.github.milvuscdi.internal.config.ConnectionSettings;
import io.github.milvuscdi.internal.sdk.MilvusSdk;
import io.milvus.shaded.io.grpc.ManagedChannel;
import io.milvus.v2.client.MilvusClientV2;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;

/**
 * Closes the SDK's clients for {@link SdkClientFactory}: one at a time with a bounded wait, or all
 * together within one bound; says each close in the log ({@link CloseLog}), never a secret.
 *
 * <p>A close never throws: what fails is logged, an interruption is kept on the thread. The quiet
 * closes ({@link #closeNow}, {@link #closeQuietly}) log nothing, since the failure that made them
 * is the one reported.
 *
 * <p>Stateless and thread-safe.
 */
final class ClientClosing {

    /** The bound on waiting for a channel to end: per client, or for all of them together. */
    static final long CLOSE_WAIT_SECONDS = 5;

    private ClientClosing() {}

    /** Closes one client, waiting at most {@link #CLOSE_WAIT_SECONDS} for its channel to end. */
    static void close(ConnectionSettings settings, MilvusClientV2 client) {
        try {
            MilvusSdk.close(client, CLOSE_WAIT_SECONDS);
            closed(settings);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            interrupted(settings);
        } catch (RuntimeException failed) {
            failed(settings, failed);
        }
    }

    /**
     * Tells every channel to close at once, then waits for all of them to end together, at most
     * {@link #CLOSE_WAIT_SECONDS} in all, not per client.
     */
    static void closeTogether(List<Map.Entry<ConnectionSettings, MilvusClientV2>> clients) {
        clients.forEach(open -> closeNow(open.getValue()));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(CLOSE_WAIT_SECONDS);
        for (Map.Entry<ConnectionSettings, MilvusClientV2> open : clients) {
            ConnectionSettings settings = open.getKey();
            try {
                ManagedChannel channel = MilvusSdk.channel(open.getValue());
                long left = Math.max(0, deadline - System.nanoTime());
                if (channel == null || channel.awaitTermination(left, TimeUnit.NANOSECONDS)) {
                    closed(settings);
                } else {
                    CloseLog.log(
                            Level.WARNING,
                            null,
                            "Milvus connection '" + settings.alias() + "' to "
                                    + settings.address() + " did not end within " + CLOSE_WAIT_SECONDS
                                    + " s after it was closed");
                }
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                interrupted(settings);
            } catch (RuntimeException failed) {
                failed(settings, failed);
            }
        }
    }

    /** Tells a client's channel to close, without waiting for it to end. */
    static void closeNow(MilvusClientV2 client) {
        closeQuietly(client, 0);
    }

    /** Closes a client whose connection failed, waiting at most a second. */
    static void closeQuietly(MilvusClientV2 client) {
        closeQuietly(client, 1);
    }

    /** Closes with no word: what is asked is closing; a failure of the connection is reported where it happens. */
    private static void closeQuietly(MilvusClientV2 client, long maxWaitSeconds) {
        try {
            MilvusSdk.close(client, maxWaitSeconds);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException ignored) {
            // the failure that made this close is the one reported
        }
    }

    private static void closed(ConnectionSettings settings) {
        CloseLog.log(Level.INFO, null, "Closed Milvus connection '" + settings.alias() + "' to " + settings.address());
    }

    private static void interrupted(ConnectionSettings settings) {
        CloseLog.log(
                Level.WARNING,
                null,
                "Interrupted while closing Milvus connection '" + settings.alias() + "' to " + settings.address());
    }

    private static void failed(ConnectionSettings settings, RuntimeException failed) {
        CloseLog.log(
                Level.WARNING,
                failed,
                "Closing Milvus connection '" + settings.alias() + "' to " + settings.address() + " failed");
    }
}
