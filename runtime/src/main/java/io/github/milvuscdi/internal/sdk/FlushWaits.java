package io.github.milvuscdi.internal.sdk;

/**
 * Told when a client's {@code flush} starts and ends. The SDK's {@code flush} sends one {@code Flush}
 * call through the client's stub (and so its interceptors), then polls {@code GetFlushState} every
 * second on a stub it builds on the channel, which no interceptor sees: this is how telemetry still
 * records that wait, as one span.
 *
 * <p>Implementations are thread-safe; {@link #flushing()} and {@link Flush#close} run on the caller's thread.
 */
public interface FlushWaits {

    /** @return the flush that starts now, closed when it returned or failed */
    Flush flushing();

    /** One flush of one caller. */
    interface Flush extends AutoCloseable {
        /**
         * The flush returned, or failed.
         *
         * @param failure what it threw; {@code null} when it returned
         */
        void ended(Throwable failure);

        @Override
        default void close() {
            ended(null);
        }
    }
}
