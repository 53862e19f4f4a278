package io.github.milvuscdi.internal.config;

import java.time.Duration;

/**
 * How the SDK retries a call that failed for a reason worth retrying (the connection dropped
 * mid-call; Milvus's rate limit), from the {@code retry.*} keys of an alias. Applied to the SDK's
 * {@code RetryConfig}, except {@code unsafeWrites}, which decides whether such failures of inserts and
 * deletes reach that retry loop at all.
 *
 * <p>The defaults keep the SDK's backoff (10 ms, ×3, up to 3 s) but cap a call: at most
 * {@value #DEFAULT_MAX_ATTEMPTS} attempts and {@link #DEFAULT_MAX_TIME} in all, where the SDK's own
 * defaults (75 attempts, no overall cap) retry for about three and a half minutes.
 *
 * @param maxAttempts attempts in all, the first included; 1 means no retry
 * @param maxTime the overall cap on retrying one call
 * @param initialBackoff the first pause between attempts
 * @param maxBackoff the longest pause
 * @param backoffMultiplier how much each pause grows
 * @param onRateLimit whether Milvus's rate-limit error is retried
 * @param unsafeWrites whether an insert or delete whose outcome is unknown (the connection failed, or the
 *     deadline passed, after it was sent) is repeated like any other call; by default it fails instead, since
 *     repeating it can write rows twice
 */
public record RetrySettings(
        int maxAttempts,
        Duration maxTime,
        Duration initialBackoff,
        Duration maxBackoff,
        int backoffMultiplier,
        boolean onRateLimit,
        boolean unsafeWrites) {

    /** Default of {@code retry.max-attempts}. */
    public static final int DEFAULT_MAX_ATTEMPTS = 10;
    /** Default of {@code retry.max-time}. */
    public static final Duration DEFAULT_MAX_TIME = Duration.ofSeconds(30);
    /** Default of {@code retry.initial-backoff}. */
    public static final Duration DEFAULT_INITIAL_BACKOFF = Duration.ofMillis(10);
    /** Default of {@code retry.max-backoff}. */
    public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(3);
    /** Default of {@code retry.backoff-multiplier}. */
    public static final int DEFAULT_BACKOFF_MULTIPLIER = 3;

    /** The defaults, used for every key not set. */
    public static final RetrySettings DEFAULTS = new RetrySettings(
            DEFAULT_MAX_ATTEMPTS,
            DEFAULT_MAX_TIME,
            DEFAULT_INITIAL_BACKOFF,
            DEFAULT_MAX_BACKOFF,
            DEFAULT_BACKOFF_MULTIPLIER,
            true,
            false);
}
