package io.github.milvuscdi.internal.config;

import java.time.Duration;

/**
 * Reads an alias's {@code retry.*} keys into its {@link RetrySettings}, for {@link AliasReader}; an
 * unset key takes its default from the table of keys ({@link RetrySettings#DEFAULTS}).
 *
 * <p>Contract: a value of the wrong form, or a longest pause shorter than the first, is a problem added
 * through {@link AliasValues} (naming the alias, the full key, the value, the fix). Stateless and
 * thread-safe.
 */
final class RetryReader {

    private RetryReader() {}

    static RetrySettings read(String alias, AliasValues values) {
        RetrySettings defaults = RetrySettings.DEFAULTS; // from the table of keys
        Integer attempts = values.wholeNumber(ConnectionKey.RETRY_MAX_ATTEMPTS, "a whole number from 1 (no retry) up");
        Duration maxTime = values.duration(ConnectionKey.RETRY_MAX_TIME, true);
        Duration initial = values.duration(ConnectionKey.RETRY_INITIAL_BACKOFF, true);
        Duration longest = values.duration(ConnectionKey.RETRY_MAX_BACKOFF, true);
        Integer multiplier = values.wholeNumber(
                ConnectionKey.RETRY_BACKOFF_MULTIPLIER, "a whole number from 1 (a constant pause) up");
        Boolean onRateLimit = values.bool(ConnectionKey.RETRY_ON_RATE_LIMIT);
        Boolean unsafeWrites = values.bool(ConnectionKey.RETRY_UNSAFE_WRITES);
        RetrySettings retry = new RetrySettings(
                attempts != null ? attempts : defaults.maxAttempts(),
                maxTime != null ? maxTime : defaults.maxTime(),
                initial != null ? initial : defaults.initialBackoff(),
                longest != null ? longest : defaults.maxBackoff(),
                multiplier != null ? multiplier : defaults.backoffMultiplier(),
                onRateLimit != null ? onRateLimit : defaults.onRateLimit(),
                unsafeWrites != null ? unsafeWrites : defaults.unsafeWrites());
        if (initial != null || longest != null) {
            if (retry.maxBackoff().compareTo(retry.initialBackoff()) < 0) {
                ConnectionKey shown =
                        longest != null ? ConnectionKey.RETRY_MAX_BACKOFF : ConnectionKey.RETRY_INITIAL_BACKOFF;
                values.problem(
                        shown,
                        values.value(shown),
                        "makes " + ConnectionKey.RETRY_MAX_BACKOFF.fullKey(alias) + " ("
                                + retry.maxBackoff().toMillis() + " ms" + ") shorter than "
                                + ConnectionKey.RETRY_INITIAL_BACKOFF.fullKey(alias) + " ("
                                + retry.initialBackoff().toMillis() + " ms"
                                + "); set the longest pause at least as long "
                                + "as the first");
            }
        }
        return retry;
    }
}
