package io.github.milvuscdi.launcher;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Asks again, a short poll apart, until an answer is the one awaited or a bound has passed: how the
 * launcher waits for a server, never for a guessed time. The test kit's {@code Await} does the same
 * for tests, with failures as JUnit shows them. Stateless.
 */
final class Polling {

    /** How long apart the answers are asked for, at most. */
    static final Duration POLL = Duration.ofMillis(100);

    private Polling() {}

    /**
     * @param <T> what is asked for
     * @param supplier asks once; must not throw
     * @param expected whether an answer is the one awaited
     * @param bound how long to keep asking
     * @return the first expected answer, else the last one
     * @throws IllegalStateException when interrupted (the interrupt is kept)
     */
    static <T> T last(Supplier<T> supplier, Predicate<? super T> expected, Duration bound) {
        long deadline = System.nanoTime() + bound.toNanos();
        T answer = supplier.get();
        while (!expected.test(answer) && System.nanoTime() - deadline < 0) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            try {
                TimeUnit.MILLISECONDS.sleep(Math.max(1, Math.min(POLL.toMillis(), left)));
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for a server", interrupted);
            }
            answer = supplier.get();
        }
        return answer;
    }
}
