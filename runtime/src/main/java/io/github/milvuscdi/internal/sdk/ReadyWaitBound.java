package io.github.milvuscdi.internal.sdk;

import io.milvus.shaded.io.grpc.Attributes;
import io.milvus.shaded.io.grpc.CallOptions;
import io.milvus.shaded.io.grpc.Channel;
import io.milvus.shaded.io.grpc.ClientCall;
import io.milvus.shaded.io.grpc.ClientInterceptor;
import io.milvus.shaded.io.grpc.ClientStreamTracer;
import io.milvus.shaded.io.grpc.ForwardingClientCall;
import io.milvus.shaded.io.grpc.ForwardingClientCallListener;
import io.milvus.shaded.io.grpc.Metadata;
import io.milvus.shaded.io.grpc.MethodDescriptor;
import io.milvus.shaded.io.grpc.Status;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Bounds how long a call waits for a usable connection, and only that.
 *
 * <p>Why this way: the SDK builds its stubs {@code withWaitForReady()}, so while the server refuses,
 * never answers or restarts, a call waits until the channel is ready again, without end unless
 * {@code rpc-deadline} is set. A deadline on the whole call would also cut a live server's long
 * answers (index builds, loads, large searches), which {@code rpc-deadline} leaves to the user, as
 * JDBC separates its connection timeout from its query timeout. Dropping wait-for-ready instead would
 * fail a call at once on a channel that is reconnecting, and the SDK would then retry it on every
 * UNAVAILABLE with backoff (a WARN line per attempt from the fourth) until its retry budget is spent:
 * the bound would be the retry budget, not the connection's. So calls keep waiting for ready, and a timer cancels a call
 * that has not reached a ready transport within the bound (gRPC tells when the call's stream is
 * created on one: {@link ClientStreamTracer#streamCreated}). The timer is armed only for a call that
 * is still waiting when gRPC returns from starting it: on a ready channel the stream is created inside
 * {@code start()}, and a timer task per call would cost more than the rest of the bound (a schedule
 * that wakes the timer thread, and its queue's lock twice). Each further attempt gRPC makes of a
 * call (a transparent retry after its transport failed under it) is bounded again. Such a call ends with
 * {@code DEADLINE_EXCEEDED}, which the SDK's retry loop does not retry: the wait already lasted the
 * bound, so retrying would multiply it.
 *
 * <p>Thread-safe.
 */
final class ReadyWaitBound implements ClientInterceptor {

    /** Told when calls find the server unavailable and when one gets through again. */
    interface WaitListener {
        /** A call waited the whole bound for a usable connection. */
        void unavailable();

        /** A call reached the server. */
        void available();
    }

    private final long boundNanos;
    private final String failure;
    private final ScheduledExecutorService timer;
    private final WaitListener waitListener;
    /**
     * When a call last reached the server. A call that started waiting before then and times out
     * anyway (its timer fired as the connection came back) is a straggler: reporting it would log the
     * server unavailable just after it was back.
     */
    private volatile long lastReached = System.nanoTime();

    ReadyWaitBound(long boundNanos, String failure, ScheduledExecutorService timer, WaitListener waitListener) {
        this.boundNanos = boundNanos;
        this.failure = failure;
        this.timer = timer;
        this.waitListener = waitListener;
    }

    @Override
    public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
        if (!options.isWaitForReady()) {
            return next.newCall(method, options);
        }
        Bounded<Q, R> bounded = new Bounded<>();
        // The one copy of the options a call costs: gRPC tells a call's tracers, and only them, when
        // its stream is created, and a call's tracers come from its options.
        bounded.call = next.newCall(method, options.withStreamTracerFactory(bounded.attempts));
        return bounded;
    }

    /**
     * One call. On a ready channel gRPC creates the call's stream on the calling thread, inside
     * {@code start()}: the call is then never waiting, and nothing is armed. Only a call that returns
     * from {@code start()} without a stream (no ready transport yet; gRPC keeps it pending) gets a
     * timer task, for what remains of the bound.
     */
    private final class Bounded<Q, R> extends ForwardingClientCall<Q, R> {
        private ClientCall<Q, R> call;
        private boolean reachedTransport;
        private boolean timedOut;
        private boolean closed;
        private Future<?> timeout;
        /** Counts the bounds armed: a timer of an earlier attempt that fires late does nothing. */
        private int armed;

        private volatile long started;
        /** Gives every attempt of the call the same tracer: each says only that a stream was created. */
        final ClientStreamTracer.Factory attempts = new ClientStreamTracer.Factory() {
            private final ClientStreamTracer tracer = new ClientStreamTracer() {
                @Override
                public void streamCreated(Attributes transportAttributes, Metadata headers) {
                    reached();
                }
            };

            @Override
            public ClientStreamTracer newClientStreamTracer(ClientStreamTracer.StreamInfo info, Metadata headers) {
                if (info.getPreviousAttempts() > 0 || info.isTransparentRetry()) {
                    waitAgain();
                }
                return tracer;
            }
        };

        @Override
        protected ClientCall<Q, R> delegate() {
            return call;
        }

        @Override
        public void start(Listener<R> listener, Metadata headers) {
            long now = System.nanoTime();
            started = now;
            super.start(
                    new ForwardingClientCallListener.SimpleForwardingClientCallListener<R>(listener) {
                        @Override
                        public void onClose(Status status, Metadata trailers) {
                            boolean expired;
                            boolean reached;
                            synchronized (Bounded.this) {
                                closed = true;
                                disarm();
                                expired = timedOut;
                                reached = reachedTransport;
                            }
                            if (expired) {
                                if (started - lastReached > 0) {
                                    waitListener.unavailable();
                                }
                                super.onClose(Status.DEADLINE_EXCEEDED.withDescription(failure), trailers);
                                return;
                            }
                            if (reached && status.getCode() != Status.Code.UNAVAILABLE) {
                                lastReached = System.nanoTime();
                                waitListener.available();
                            }
                            super.onClose(status, trailers);
                        }
                    },
                    headers);
            synchronized (this) {
                // Not armed by a retry already made inside start(), not reached, not over: the call waits.
                if (!reachedTransport && !closed && !timedOut && timeout == null) {
                    arm(boundNanos - (System.nanoTime() - now));
                }
            }
        }

        /** The call's stream was created on a ready transport: the bound no longer applies to this attempt. */
        private synchronized void reached() {
            reachedTransport = true;
            disarm();
        }

        /**
         * gRPC makes another attempt of the call: the stream of the last one was created on a transport
         * that failed before the server took the call (a server that has just stopped; gRPC retries
         * such a call transparently). This attempt waits for a usable connection again, and is bounded
         * again: without this, it would wait without end, its earlier attempt having disarmed the bound.
         */
        private synchronized void waitAgain() {
            if (timedOut) {
                return;
            }
            reachedTransport = false;
            started = System.nanoTime();
            disarm();
            arm(boundNanos);
        }

        /** Called holding this call's lock. */
        private void arm(long nanos) {
            try {
                int attempt = ++armed;
                timeout = timer.schedule(() -> expire(attempt), nanos, TimeUnit.NANOSECONDS);
            } catch (RejectedExecutionException stopping) {
                // the timer is shut down only after every client is closed: the call fails on its own
            }
        }

        /** Called holding this call's lock. */
        private void disarm() {
            if (timeout != null) {
                timeout.cancel(false);
                timeout = null;
            }
        }

        private void expire(int attempt) {
            synchronized (this) {
                if (attempt != armed || reachedTransport || timedOut) {
                    return;
                }
                timedOut = true;
            }
            call.cancel(failure, null);
        }
    }
}
