package io.github.milvuscdi.testing;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Waits for a condition itself, with a bound, instead of guessing how long something takes: asks
 * again and again, a short poll apart, until the answer is the one awaited or the bound has passed.
 *
 * <pre>{@code
 * Await.until(() -> server.acceptsConnections(), Duration.ofSeconds(30), "the server accepts connections");
 * HealthCheckResponse up = Await.until(check::call, r -> r.getStatus() == UP, Duration.ofSeconds(30),
 *         r -> String.valueOf(r.getData()));
 * long threads = Await.last(() -> grpcThreads(), n -> n <= before, Duration.ofSeconds(10));
 * }</pre>
 *
 * <p>A call that throws counts as "not yet"; its failure is named when the bound is reached.
 * Stateless and thread-safe: each wait runs on the caller's thread.
 */
public final class Await {

    /** How long apart the answers are asked for, at most. */
    public static final Duration POLL = Duration.ofMillis(100);

    private Await() {}

    /**
     * Waits until a condition holds.
     *
     * @param condition asked on the caller's thread
     * @param bound how long to keep asking
     * @param what the condition, in words, for the failure
     * @throws AssertionError when it did not hold within the bound
     */
    public static void until(BooleanSupplier condition, Duration bound, String what) {
        until(condition::getAsBoolean, Boolean::booleanValue, bound, answer -> what + " (still " + answer + ")");
    }

    /**
     * Waits until an answer is the one awaited.
     *
     * @param <T> what is asked for
     * @param supplier asks once
     * @param expected whether an answer is the one awaited
     * @param bound how long to keep asking
     * @return the first answer that is expected
     * @throws AssertionError when none was within the bound, naming the last answer or failure
     */
    public static <T> T until(Supplier<T> supplier, Predicate<? super T> expected, Duration bound) {
        return until(supplier, expected, bound, String::valueOf);
    }

    /**
     * Waits until an answer is the one awaited, describing the last one in words of the caller's.
     *
     * @param <T> what is asked for
     * @param supplier asks once
     * @param expected whether an answer is the one awaited
     * @param bound how long to keep asking
     * @param describe says what an answer is, for the failure
     * @return the first answer that is expected
     * @throws AssertionError when none was within the bound, naming the last answer or failure
     */
    public static <T> T until(
            Supplier<T> supplier, Predicate<? super T> expected, Duration bound, Function<? super T, String> describe) {
        long deadline = System.nanoTime() + bound.toNanos();
        String last = "nothing";
        RuntimeException lastFailure = null;
        while (true) {
            try {
                T answer = supplier.get();
                if (expected.test(answer)) {
                    return answer;
                }
                last = describe.apply(answer);
                lastFailure = null;
            } catch (RuntimeException failed) {
                last = String.valueOf(failed);
                lastFailure = failed;
            }
            if (System.nanoTime() - deadline >= 0) {
                throw new AssertionError(
                        "not as expected within " + bound.toMillis() + " ms; last answer: " + last, lastFailure);
            }
            pause(deadline);
        }
    }

    /**
     * Asks until the answer is the one awaited or the bound has passed, and returns the last answer
     * either way, for an assertion that says more than "not within the bound".
     *
     * @param <T> what is asked for
     * @param supplier asks once; must not throw
     * @param expected whether an answer is the one awaited
     * @param bound how long to keep asking
     * @return the first expected answer, else the last one
     */
    public static <T> T last(Supplier<T> supplier, Predicate<? super T> expected, Duration bound) {
        long deadline = System.nanoTime() + bound.toNanos();
        T answer = supplier.get();
        while (!expected.test(answer) && System.nanoTime() - deadline < 0) {
            pause(deadline);
            answer = supplier.get();
        }
        return answer;
    }

    private static void pause(long deadline) {
        long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        try {
            TimeUnit.MILLISECONDS.sleep(Math.max(1, Math.min(POLL.toMillis(), left)));
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting", interrupted);
        }
    }
}
