package io.github.milvuscdi.internal.client;

import io.github.milvuscdi.internal.config.ConnectionSettings;
import io.github.milvuscdi.internal.sdk.MilvusSdk;
import io.milvus.grpc.GetVersionRequest;
import io.milvus.grpc.GetVersionResponse;
import io.milvus.grpc.MilvusServiceGrpc;
import io.milvus.shaded.io.grpc.ConnectivityState;
import io.milvus.shaded.io.grpc.ManagedChannel;
import io.milvus.shaded.io.grpc.StatusRuntimeException;
import io.milvus.shaded.io.grpc.stub.StreamObserver;
import io.milvus.v2.client.MilvusClientV2;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Watches a client's channel while the SDK connects, and ends the wait as soon as the transport
 * fails in a way that waiting cannot cure: a port that does not speak gRPC, TLS on one side only,
 * a certificate that is not trusted (see {@link ConnectFailureExplainer#permanent}).
 *
 * <p>Why: the SDK connects with a wait-for-ready call bounded by {@code connect-timeout}. gRPC keeps
 * such a call waiting through every failed connection attempt, whatever the cause, and reports at
 * the end only that the deadline passed. Temporary failures (refused, no answer, restarting) deserve
 * that wait; the others only delay the message. While the channel is in {@code TRANSIENT_FAILURE},
 * a call that does not wait for ready fails at once with the error of the last attempt: the watch
 * asks that every {@value #POLL_MILLIS} ms, and when the error is permanent it records it and runs
 * {@code end} (which closes the client, ending the SDK's call).
 *
 * <p>Thread-safe; the polls run on the factory's timer, the question is asynchronous.
 */
final class ConnectWatch {

    static final long POLL_MILLIS = 50;
    private static final long QUESTION_MILLIS = 500;
    /** Per step of our TLS handshake (connect, then handshake): a busy server may take its time. */
    private static final long TLS_QUESTION_MILLIS = 1000;
    /** A server going down also hangs up without a word: asked again on a later failure, a few times. */
    private static final int MAX_TLS_QUESTIONS = 3;

    private final MilvusClientV2 client;
    private final ConnectionSettings settings;
    private final Runnable end;
    private final AtomicBoolean asking = new AtomicBoolean();
    private volatile StatusRuntimeException permanent;
    private volatile ConnectFailureExplainer.Explanation explanation;
    private final java.util.concurrent.atomic.AtomicInteger tlsQuestions =
            new java.util.concurrent.atomic.AtomicInteger();
    private volatile boolean stopped;
    private volatile Future<?> polls;

    private ConnectWatch(MilvusClientV2 client, ConnectionSettings settings, Runnable end) {
        this.client = client;
        this.settings = settings;
        this.end = end;
    }

    /**
     * Starts watching a client that is about to connect.
     *
     * @param client the client, built by {@link MilvusSdk#unconnectedClient()}
     * @param settings the alias's settings, to judge a failure
     * @param timer runs the polls
     * @param end called once, on the timer or a gRPC thread, when a permanent failure was seen
     * @return the watch; {@link #stop()} it when connecting returned
     */
    static ConnectWatch start(
            MilvusClientV2 client, ConnectionSettings settings, ScheduledExecutorService timer, Runnable end) {
        ConnectWatch watch = new ConnectWatch(client, settings, end);
        try {
            watch.polls = timer.scheduleWithFixedDelay(watch::poll, POLL_MILLIS, POLL_MILLIS, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException stopping) {
            // the registry is closing: connecting fails anyway, within its own bound
        }
        return watch;
    }

    /** @return the permanent failure that ended the wait; {@code null} when none did */
    StatusRuntimeException permanentFailure() {
        return permanent;
    }

    /** @return what was found out about the permanent failure beyond its status; {@code null} if nothing */
    ConnectFailureExplainer.Explanation explanation() {
        return explanation;
    }

    private synchronized void ended(StatusRuntimeException status, ConnectFailureExplainer.Explanation why) {
        if (permanent == null && !stopped) {
            explanation = why;
            permanent = status;
            stop();
            end.run();
        }
    }

    /**
     * A client whose server hangs up without a word: a TLS server does that to a plain-text client, a
     * server that requires a client certificate to a TLS client without one, and so does a server going
     * down. A TLS handshake of our own tells which ({@link ClientCertificateCheck#whyClosed}), on a
     * thread of its own (it blocks).
     */
    private void askWhyClosed(StatusRuntimeException status) {
        Thread asker = new Thread(
                () -> {
                    try {
                        ConnectFailureExplainer.Explanation why =
                                ClientCertificateCheck.whyClosed(settings, (int) TLS_QUESTION_MILLIS);
                        if (why != null) {
                            ended(status, why);
                        }
                    } finally {
                        asking.set(false);
                    }
                },
                "milvus-cdi-tls-check-" + settings.alias());
        asker.setDaemon(true);
        asker.setContextClassLoader(null);
        asker.start();
    }

    /** Stops polling; a question in flight is ignored once it answers. */
    void stop() {
        stopped = true;
        Future<?> running = polls;
        if (running != null) {
            running.cancel(false);
        }
    }

    private void poll() {
        if (stopped || permanent != null) {
            return;
        }
        ManagedChannel channel;
        try {
            channel = MilvusSdk.channel(client);
        } catch (RuntimeException unsupported) {
            return;
        }
        if (channel == null
                || channel.isShutdown()
                || channel.getState(false) != ConnectivityState.TRANSIENT_FAILURE
                || !asking.compareAndSet(false, true)) {
            return;
        }
        // Asked on the bare channel: the question never reaches a server (it fails on the channel's
        // last error), so it needs none of the SDK's headers.
        MilvusServiceGrpc.newStub(channel)
                .withDeadlineAfter(QUESTION_MILLIS, TimeUnit.MILLISECONDS)
                .getVersion(GetVersionRequest.getDefaultInstance(), new StreamObserver<GetVersionResponse>() {
                    @Override
                    public void onNext(GetVersionResponse value) {}

                    @Override
                    public void onError(Throwable failure) {
                        if (stopped || !(failure instanceof StatusRuntimeException status)) {
                            asking.set(false);
                        } else if (ConnectFailureExplainer.permanent(settings, status)) {
                            ended(status, null);
                            asking.set(false);
                        } else if (ConnectFailureExplainer.closedWithoutAWord(status)
                                && !settings.mutualTls()
                                && tlsQuestions.incrementAndGet() <= MAX_TLS_QUESTIONS) {
                            askWhyClosed(status); // clears asking when done
                        } else {
                            asking.set(false);
                        }
                    }

                    @Override
                    public void onCompleted() {
                        asking.set(false);
                    }
                });
    }
}
