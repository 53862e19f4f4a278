package io.github.milvuscdi.internal.config;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses durations as Quarkus does: ISO-8601, or a number with ms, s, m or h; a bare number is
 * seconds. A duration must be a whole number of milliseconds (what the SDK and gRPC take) and at
 * most {@link #MAX}: a value that cannot be used as written is refused, never rounded to zero or
 * left to overflow later.
 */
final class Durations {

    /** The longest duration accepted. */
    static final Duration MAX = Duration.ofHours(24);

    static final String ACCEPTED =
            "an ISO-8601 duration (PT10S) or a number with ms, s, m or h (500ms, 10s); " + "a bare number is seconds";

    private static final Pattern SIMPLE = Pattern.compile("(\\d{1,18})(ms|s|m|h)?");

    private Durations() {}

    /** A duration, or why the text is not an acceptable one. */
    record Parsed(Duration duration, String complaint) {}

    /**
     * Parses a duration.
     *
     * @param text the value, trimmed
     * @param positive whether zero is refused
     * @return the duration, or the complaint completing "'<value>' …"
     */
    static Parsed parse(String text, boolean positive) {
        Duration parsed = parse(text);
        String kind = positive ? "positive duration" : "duration";
        if (parsed == null) {
            return new Parsed(null, "is not a " + kind + "; expected " + ACCEPTED);
        }
        if (parsed.compareTo(MAX) > 0) {
            return new Parsed(null, "is longer than 24 hours; expected at most 24h");
        }
        if (parsed.getNano() % 1_000_000 != 0) {
            return new Parsed(null, "is not a whole number of milliseconds; expected e.g. 1ms or 500ms");
        }
        if (positive && parsed.isZero()) {
            return new Parsed(null, "is not a " + kind + "; expected " + ACCEPTED);
        }
        return new Parsed(parsed, null);
    }

    /** @return the non-negative duration the text says, or {@code null} when it is not one (or overflows) */
    private static Duration parse(String text) {
        String value = text.trim().toLowerCase(Locale.ROOT);
        Matcher simple = SIMPLE.matcher(value);
        try {
            if (simple.matches()) {
                long amount = Long.parseLong(simple.group(1));
                String unit = simple.group(2) == null ? "s" : simple.group(2);
                switch (unit) {
                    case "ms":
                        return Duration.ofMillis(amount);
                    case "m":
                        return Duration.ofMinutes(amount);
                    case "h":
                        return Duration.ofHours(amount);
                    default:
                        return Duration.ofSeconds(amount);
                }
            }
            if (value.startsWith("p")) {
                Duration parsed = Duration.parse(value.toUpperCase(Locale.ROOT));
                return parsed.isNegative() ? null : parsed;
            }
        } catch (ArithmeticException | NumberFormatException | DateTimeParseException notADuration) {
            return null;
        }
        return null;
    }
}
