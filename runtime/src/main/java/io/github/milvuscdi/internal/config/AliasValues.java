package io.github.milvuscdi.internal.config;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * The keys of one alias read as typed values: trimmed text, durations, booleans, whole numbers,
 * readable files. A value that is not one adds a sentence to the problems, naming the alias, the full
 * key, the value (never a secret's) and what is accepted. Lives for one read; not thread-safe.
 */
final class AliasValues {

    private static final Logger LOG = Logger.getLogger(ConnectionSettingsReader.class.getName());
    private static final String BOOLEAN_FORM = "true or false";

    private final String alias;
    private final Function<ConnectionKey, Optional<String>> lookup;
    private final List<String> problems;

    AliasValues(String alias, Function<ConnectionKey, Optional<String>> lookup, List<String> problems) {
        this.alias = alias;
        this.lookup = lookup;
        this.problems = problems;
    }

    String value(ConnectionKey key) {
        return lookup.apply(key).map(String::trim).filter(v -> !v.isEmpty()).orElse(null);
    }

    /**
     * Adds a problem with a key's value, quoted through the one redaction rule ({@link MilvusUri#redact}):
     * whatever the key, credentials written into it are never quoted; a secret key's value, and a
     * {@code user} holding a {@code ':'} (a password after it), are not quoted at all.
     */
    void problem(ConnectionKey key, String value, String complaint) {
        boolean hidden = key.isSecret() || (key == ConnectionKey.USER && value.indexOf(':') >= 0);
        String shown = hidden ? "(hidden)" : "'" + MilvusUri.redact(value) + "'";
        problems.add(prefix() + key.fullKey(alias) + "=" + shown + " " + complaint);
    }

    void uriProblem(String source, String shownUri, String complaint) {
        String where = source.startsWith(AliasDiscovery.PREFIX) ? source + "=" : source + " ";
        problems.add(prefix() + where + "'" + shownUri + "' " + complaint);
    }

    String file(ConnectionKey key) {
        return file(key, "PEM file");
    }

    /** The path of a readable file, or {@code null} (and a problem) when not; {@code kind} names what it holds. */
    String file(ConnectionKey key, String kind) {
        String path = value(key);
        if (path == null) {
            return null;
        }
        try {
            Path file = Path.of(path);
            if (Files.isRegularFile(file) && Files.isReadable(file)) {
                return path;
            }
        } catch (InvalidPathException invalid) {
            // reported below
        }
        problem(key, path, "does not exist or cannot be read; expected the path of a readable " + kind);
        return null;
    }

    Duration duration(ConnectionKey key, boolean positive) {
        String text = value(key);
        if (text == null) {
            return null;
        }
        Durations.Parsed parsed = Durations.parse(text, positive);
        if (parsed.complaint() != null) {
            problem(key, text, parsed.complaint());
        }
        return parsed.duration();
    }

    Integer wholeNumber(ConnectionKey key, String accepted) {
        String text = value(key);
        if (text == null) {
            return null;
        }
        try {
            int number = text.matches("[0-9]{1,10}") ? Integer.parseInt(text) : 0;
            if (number >= 1) {
                return number;
            }
        } catch (NumberFormatException notANumber) {
            // reported below
        }
        problem(key, text, "is not an accepted whole number; expected " + accepted);
        return null;
    }

    Boolean bool(ConnectionKey key) {
        String text = value(key);
        if (text == null) {
            return null;
        }
        if (text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false")) {
            return Boolean.valueOf(text.toLowerCase(Locale.ROOT));
        }
        problem(key, text, "is not a boolean; expected " + BOOLEAN_FORM);
        return null;
    }

    void ignored(ConnectionKey winner, ConnectionKey... losers) {
        List<String> set = Arrays.stream(losers)
                .filter(k -> value(k) != null)
                .map(k -> k.fullKey(alias))
                .collect(Collectors.toList());
        if (!set.isEmpty()) {
            LOG.info(() -> prefix() + String.join(", ", set) + (set.size() == 1 ? " is" : " are") + " ignored because "
                    + winner.fullKey(alias) + " is set");
        }
    }

    String alias() {
        return alias;
    }

    String prefix() {
        return "alias '" + alias + "': ";
    }
}
