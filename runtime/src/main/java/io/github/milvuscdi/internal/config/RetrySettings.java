package io.github.milvuscdi.internal.config;

import java.time.Duration;

/**
 * How the SDK retries a call that failed for a reason worth retrying (the connection dropped
 * mid-call; Milvus's rate limit), from the {@code retry.*} keys of an alias. Applied to the SDK's
 * {@code RetryConfig}, except {@code unsafeWrites}, which decides whether such failures of inserts and
 * deletes reach that retry loop at all.
 *
 * <p>The defaults (the table of keys, {@link ConnectionKey}) keep the SDK's backoff (10 ms, ×3, up to 3 s) but
 * cap a call: at most 10 attempts and 30 s in all, where the SDK's own defaults (75 attempts, no overall cap)
 * retry for about three and a half minutes.
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

    /** The defaults of the table of keys, used for every key not set. */
    public static final RetrySettings DEFAULTS = new RetrySettings(
            ConnectionKey.RETRY_MAX_ATTEMPTS.declaration().defaultInteger(),
            ConnectionKey.RETRY_MAX_TIME.declaration().defaultDuration(),
            ConnectionKey.RETRY_INITIAL_BACKOFF.declaration().defaultDuration(),
            ConnectionKey.RETRY_MAX_BACKOFF.declaration().defaultDuration(),
            ConnectionKey.RETRY_BACKOFF_MULTIPLIER.declaration().defaultInteger(),
            ConnectionKey.RETRY_ON_RATE_LIMIT.declaration().defaultBoolean(),
            ConnectionKey.RETRY_UNSAFE_WRITES.declaration().defaultBoolean());
}
