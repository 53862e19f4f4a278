package io.github.milvuscdi.internal.health;

import io.github.milvuscdi.internal.client.CollectionStates;
import io.github.milvuscdi.internal.client.ConnectFailure;
import io.github.milvuscdi.internal.config.ConnectionSettings;
import io.github.milvuscdi.internal.sdk.MilvusSdk;
import io.github.milvuscdi.internal.sdk.ProbeCalls;
import io.milvus.grpc.CheckHealthRequest;
import io.milvus.grpc.CheckHealthResponse;
import io.milvus.grpc.ErrorCode;
import io.milvus.grpc.GetVersionRequest;
import io.milvus.grpc.GetVersionResponse;
import io.milvus.grpc.MilvusServiceGrpc;
import io.milvus.grpc.MilvusServiceGrpc.MilvusServiceBlockingStub;
import io.milvus.shaded.io.grpc.ConnectivityState;
import io.milvus.shaded.io.grpc.Deadline;
import io.milvus.shaded.io.grpc.ManagedChannel;
import io.milvus.shaded.io.grpc.Status;
import io.milvus.shaded.io.grpc.StatusRuntimeException;
import io.milvus.v2.client.MilvusClientV2;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Asks one connected client's server whether it is ready, within a deadline, without touching what
 * the application's calls on that client see.
 *
 * <p>The SDK's own {@code getServerVersion()} and {@code checkHealth()} are unfit for readiness: with
 * no {@code rpc-deadline} they wait for the channel forever (the SDK's stub waits for ready), with
 * one they retry UNAVAILABLE about 75 times and log each attempt, and the only way to give them a
 * deadline, {@code withTimeout}, changes it for every caller of the shared client. So the probe
 * calls {@code GetVersion} and {@code CheckHealth} on the client's own gRPC channel (the same
 * connection, credentials and database header) with a per-call deadline and no retry; the channel
 * comes from {@link MilvusSdk}. One round trip when the version is known: {@code CheckHealth}
 * alone; {@code GetVersion} first otherwise.
 *
 * <p>A channel whose server went away waits out a growing backoff, up to two minutes, before it
 * tries again; the probe cuts that short ({@code resetConnectBackoff}), so a server that is back is
 * seen at the next probe and the application's calls work again at once. Once a channel has failed,
 * gRPC fails every fail-fast call with that old error until a connection succeeds, so on such a
 * channel the probe reconnects and waits for ready at most {@link #RECONNECT_WINDOW}: a server that
 * is back is up at this probe; one that still refuses, cannot be resolved or fails the TLS handshake
 * is reported down at once with the error that keeps the channel from connecting, instead of after
 * the whole bound (an orchestrator's probe times out after 1 s by default). Only a server that
 * accepts and stays silent costs the bound.
 *
 * <p>Stateless and thread-safe.
 */
final class ServerProbe {

    private static final GetVersionRequest VERSION = GetVersionRequest.getDefaultInstance();
    private static final CheckHealthRequest HEALTH = CheckHealthRequest.getDefaultInstance();
    private static final long REASON_DEADLINE_MILLIS = 200;

    /** How long a probe waits for a failed channel to reconnect: a server that is back is ready by then. */
    static final Duration RECONNECT_WINDOW = Duration.ofMillis(500);

    /** How often {@link #reconnects} looks at a reconnecting channel's state. */
    private static final Duration STATE_POLL = Duration.ofMillis(10);

    private ServerProbe() {}

    /**
     * Probes one alias's server: its version when not known yet, then its own health verdict.
     *
     * @param alias the alias
     * @param settings where it connects, for the report; {@code null} when unknown
     * @param client the alias's connected client
     * @param knownVersion the version this connection's server gave before; {@code null} to ask it
     * @param timeout the deadline of the calls together
     * @return up with the version and latency, or down with the reason; never throws
     */
    static AliasHealth probe(
            String alias, ConnectionSettings settings, MilvusClientV2 client, String knownVersion, Duration timeout) {
        long started = System.nanoTime();
        Deadline deadline = Deadline.after(timeout.toNanos(), TimeUnit.NANOSECONDS);
        try {
            String version = askChannel(client, knownVersion, timeout);
            if (settings != null && settings.collections().any()) {
                // In the same bound, all at once: one GetLoadState each.
                Map<String, CollectionStates.Found> found = CollectionStates.ask(
                        MilvusSdk.blockingStub(client).getChannel(),
                        settings.databaseName(),
                        settings.collections().names(),
                        deadline);
                return AliasHealth.up(alias, settings, version, millisSince(started))
                        .withCollections(found);
            }
            return AliasHealth.up(alias, settings, version, millisSince(started));
        } catch (StatusRuntimeException failed) {
            return AliasHealth.down(alias, settings, millisSince(started), describe(failed, timeout));
        } catch (NotReady notReady) {
            return AliasHealth.down(alias, settings, millisSince(started), notReady.getMessage());
        } catch (RuntimeException failed) {
            return AliasHealth.down(alias, settings, millisSince(started), rootMessage(failed));
        }
    }

    private static String askChannel(MilvusClientV2 client, String knownVersion, Duration timeout) {
        ManagedChannel channel = MilvusSdk.channel(client);
        MilvusServiceBlockingStub sdkStub = MilvusSdk.blockingStub(client);
        if (channel == null || sdkStub == null || channel.isShutdown()) {
            throw new NotReady("the client is closed");
        }
        Deadline deadline = Deadline.after(timeout.toNanos(), TimeUnit.NANOSECONDS);
        // The SDK's stub carries its interceptors in its channel; a new stub on it fails fast
        // instead of waiting for ready.
        // It is marked as the probe's, which telemetry does not record.
        MilvusServiceBlockingStub failFast =
                ProbeCalls.probing(MilvusServiceGrpc.newBlockingStub(sdkStub.getChannel()));
        if (channel.getState(false) == ConnectivityState.TRANSIENT_FAILURE
                && !reconnects(channel, RECONNECT_WINDOW.compareTo(timeout) < 0 ? RECONNECT_WINDOW : timeout)) {
            // Known to fail (refused, unresolvable, TLS handshake): say why now, not after the bound.
            throw new NotReady(whyFailing(failFast));
        }
        MilvusServiceBlockingStub stub = failFast.withDeadline(deadline);
        String version = knownVersion != null ? knownVersion : version(stub);
        if (!checkHealth(stub) && knownVersion != null) {
            version(stub); // a server older than CheckHealth: answering GetVersion is all it can say
        }
        return version;
    }

    /**
     * Reconnects a failed channel at once and waits for it to be ready. Failing fast before that
     * would only repeat the last failure: gRPC keeps the channel failing until a connection succeeds.
     *
     * <p>The state is polled, every {@link #STATE_POLL}: gRPC has no way to take back a listener of
     * {@code notifyWhenStateChanged}, and one left waiting on a channel that stays down would stay
     * on it, one per probe, until its state changes.
     *
     * @return whether the channel is ready within {@code window}
     */
    static boolean reconnects(ManagedChannel channel, Duration window) {
        long end = System.nanoTime() + window.toNanos();
        channel.resetConnectBackoff();
        while (true) {
            ConnectivityState state = channel.getState(false);
            if (state == ConnectivityState.READY || state == ConnectivityState.SHUTDOWN) {
                return state == ConnectivityState.READY;
            }
            long left = end - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            LockSupport.parkNanos(Math.min(left, STATE_POLL.toNanos()));
            if (Thread.currentThread().isInterrupted()) {
                return false;
            }
        }
    }

    private static String version(MilvusServiceBlockingStub stub) {
        GetVersionResponse version = stub.getVersion(VERSION);
        requireSuccess("GetVersion", version.getStatus());
        return version.getVersion();
    }

    /** @return whether the server knows CheckHealth; throws when it is unhealthy */
    private static boolean checkHealth(MilvusServiceBlockingStub stub) {
        try {
            CheckHealthResponse health = stub.checkHealth(HEALTH);
            requireSuccess("CheckHealth", health.getStatus());
            if (!health.getIsHealthy()) {
                throw new NotReady("the server reports itself unhealthy"
                        + (health.getReasonsCount() == 0 ? "" : ": " + String.join("; ", health.getReasonsList())));
            }
            return true;
        } catch (StatusRuntimeException failed) {
            if (failed.getStatus().getCode() != Status.Code.UNIMPLEMENTED) {
                throw failed;
            }
            return false;
        }
    }

    /** Asks a failing channel, without waiting, for the error that keeps it from connecting. */
    private static String whyFailing(MilvusServiceBlockingStub failFast) {
        try {
            failFast.withDeadlineAfter(REASON_DEADLINE_MILLIS, TimeUnit.MILLISECONDS)
                    .getVersion(VERSION);
            return "the server has just answered";
        } catch (StatusRuntimeException failed) {
            return "cannot connect: " + describe(failed, null);
        } catch (RuntimeException failed) {
            return "cannot connect: " + rootMessage(failed);
        }
    }

    private static void requireSuccess(String call, io.milvus.grpc.Status status) {
        if (status.getCode() != 0 || status.getErrorCode() != ErrorCode.Success) {
            int code = status.getCode() != 0 ? status.getCode() : status.getErrorCodeValue();
            throw new NotReady(call + " failed with code " + code + ": " + status.getReason());
        }
    }

    /**
     * Says why a call failed: {@code no answer within 2000 ms} for a deadline, else the status
     * code, its description and the root cause, as in
     * {@code UNAVAILABLE: io exception (Connection refused: /127.0.0.1:19530)}.
     */
    static String describe(StatusRuntimeException failed, Duration timeout) {
        Status status = failed.getStatus();
        if (status.getCode() == Status.Code.DEADLINE_EXCEEDED && timeout != null) {
            return noAnswer(timeout);
        }
        StringBuilder text = new StringBuilder(status.getCode().name());
        if (status.getDescription() != null) {
            text.append(": ").append(status.getDescription());
        }
        Throwable cause = failed.getCause();
        if (cause != null) {
            text.append(" (").append(rootMessage(cause)).append(')');
        }
        return text.toString();
    }

    /**
     * Says why connecting failed, without repeating the alias and address the entry already shows:
     * {@code cannot connect: …} in the user's terms, or a configuration problem naming the key.
     */
    static String connectFailure(RuntimeException failed) {
        if (failed instanceof ConnectFailure) {
            return ((ConnectFailure) failed).detail();
        }
        return failed.getMessage() != null ? failed.getMessage() : rootMessage(failed);
    }

    static String noAnswer(Duration timeout) {
        return "no answer within " + timeout.toMillis() + " ms";
    }

    static String rootMessage(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }

    private static long millisSince(long nanoTime) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - nanoTime);
    }

    /** A probe that got an answer, or none, meaning the server is not ready; the message says why. */
    private static final class NotReady extends RuntimeException {
        private static final long serialVersionUID = 1L;

        NotReady(String message) {
            super(message, null, false, false);
        }
    }
}
