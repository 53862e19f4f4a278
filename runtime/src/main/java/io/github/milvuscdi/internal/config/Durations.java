package io.github.milvuscdi.internal.config;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses durations as Quarkus does: ISO-8601, or a number with ms, s, m or h; a bare number is seconds. */
final class Durations {

    static final String ACCEPTED = "an ISO-8601 duration (PT10S) or a number with ms, s, m or h (500ms, 10s); a bare number is seconds";

    private static final Pattern SIMPLE = Pattern.compile("(\\d+)(ms|s|m|h)?");

    private Durations() {
    }

    /**
     * Parses a non-negative duration.
     *
     * @return the duration, or {@code null} when the text is not one
     */
    static Duration parse(String text) {
        String value = text.trim().toLowerCase(Locale.ROOT);
        Matcher simple = SIMPLE.matcher(value);
        if (simple.matches()) {
            long amount;
            try {
                amount = Long.parseLong(simple.group(1));
            } catch (NumberFormatException tooLarge) {
                return null;
            }
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
        if (value.startsWith("pt") || value.startsWith("p")) {
            try {
                Duration parsed = Duration.parse(value.toUpperCase(Locale.ROOT));
                return parsed.isNegative() ? null : parsed;
            } catch (DateTimeParseException notIso) {
                return null;
            }
        }
        return null;
    }
}
