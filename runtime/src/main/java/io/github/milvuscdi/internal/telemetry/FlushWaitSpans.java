package io.github.milvuscdi.internal.telemetry;

import io.github.milvuscdi.internal.sdk.FlushWaits;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.StatusCode;

/**
 * A flush's wait for the flushed state as one span, {@value #NAME}: the SDK's {@code flush} sends
 * {@code Flush} (a span of its own, through the interceptor) and then polls {@code GetFlushState}
 * every second on a stub that no interceptor sees. The span starts when {@code Flush} succeeded, as
 * its sibling, and ends when {@code flush} returns or fails (then an error span).
 *
 * <p>The flush under way is kept per thread: the SDK's blocking calls run on the caller's thread.
 * Thread-safe.
 */
final class FlushWaitSpans implements FlushWaits {

    /** The span's name and operation. */
    static final String NAME = "WaitFlush";

    /** The RPC after which the wait starts. */
    static final String FLUSH = "Flush";

    private static final ThreadLocal<Wait> CURRENT = new ThreadLocal<>();

    /** @return the flush under way on this thread; {@code null} when none */
    static Wait current() {
        return CURRENT.get();
    }

    @Override
    public Flush flushing() {
        Wait outer = CURRENT.get();
        Wait wait = new Wait();
        CURRENT.set(wait);
        return failure -> {
            if (outer == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(outer);
            }
            wait.end(failure);
        };
    }

    /** The wait of one flush: started by its {@code Flush} call's success, ended with the flush. */
    static final class Wait {
        private Span span;
        private boolean ended;

        /** @param builder the span's builder, with its parent and attributes; started unless already */
        synchronized void start(SpanBuilder builder) {
            if (span == null && !ended) {
                span = builder.startSpan();
            }
        }

        synchronized void end(Throwable failure) {
            ended = true;
            if (span == null) {
                return;
            }
            if (failure != null) {
                span.setAttribute(
                        TracingInterceptor.ERROR_TYPE, failure.getClass().getName());
                span.setStatus(StatusCode.ERROR);
            }
            span.end();
        }
    }
}
