package io.github.milvuscdi.helidon;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * Finds the JDK that runs Helidon MP 4, which needs Java 21 or newer, while the library and these
 * tests stay on Java 17.
 *
 * <p>Looked for, in this order: the system property {@code helidon.java.home} (the build passes
 * {@code -Dhelidon.java.home=...}), the environment variables {@code JAVA25_HOME} and
 * {@code JAVA21_HOME}, the JDKs under {@code /usr/lib/jvm} and {@code /opt/java} (newest first), and
 * the JVM running the tests. A JDK is its folder with {@code bin/java} and a {@code release} file
 * saying {@code JAVA_VERSION}.
 */
final class JavaForHelidon {

    static final int MINIMUM = 21;

    private JavaForHelidon() {}

    /**
     * @return the {@code java} launcher of a JDK 21+
     * @throws IllegalStateException naming what to install and how to point the build at it, when none is found
     */
    static Path launcher() {
        List<String> looked = new ArrayList<>();
        String configured = System.getProperty("helidon.java.home", "").trim();
        if (!configured.isEmpty()) {
            Path home = Paths.get(configured);
            int version = version(home).orElse(0);
            if (version < MINIMUM) {
                throw new IllegalStateException("-Dhelidon.java.home=" + configured + " is not a JDK " + MINIMUM
                        + " or newer (found " + (version == 0 ? "no JDK" : "Java " + version) + "); Helidon MP 4"
                        + " needs one: install e.g. Temurin 25 (apt-get install temurin-25-jdk) and name its folder");
            }
            return home.resolve("bin/java");
        }
        List<Path> candidates = new ArrayList<>();
        for (String variable : List.of("JAVA25_HOME", "JAVA21_HOME")) {
            String value = System.getenv(variable);
            if (value != null && !value.isBlank()) {
                candidates.add(Paths.get(value));
            }
        }
        for (String root : List.of("/usr/lib/jvm", "/opt/java")) {
            candidates.addAll(children(Paths.get(root)));
        }
        candidates.add(Paths.get(System.getProperty("java.home")));
        Path best = null;
        int bestVersion = 0;
        for (Path candidate : candidates) {
            int version = version(candidate).orElse(0);
            looked.add(candidate + (version == 0 ? " (no JDK)" : " (Java " + version + ")"));
            if (version >= MINIMUM && version > bestVersion) {
                best = candidate;
                bestVersion = version;
            }
        }
        if (best == null) {
            throw new IllegalStateException("Helidon MP 4 needs Java " + MINIMUM + " or newer and none was found."
                    + " Install one (e.g. Temurin 25: apt-get install temurin-25-jdk, or any JDK 21+) and set"
                    + " JAVA25_HOME to its folder, or pass -Dhelidon.java.home=<folder> to Maven."
                    + " Looked at: " + String.join(", ", looked));
        }
        return best.resolve("bin/java");
    }

    /** The feature version of the JDK in {@code home}, read from its {@code release} file. */
    static Optional<Integer> version(Path home) {
        Path release = home.resolve("release");
        if (!Files.isRegularFile(release) || !Files.isExecutable(home.resolve("bin/java"))) {
            return Optional.empty();
        }
        Properties properties = new Properties();
        try (var reader = Files.newBufferedReader(release)) {
            properties.load(reader);
        } catch (IOException e) {
            return Optional.empty();
        }
        String value = properties.getProperty("JAVA_VERSION", "").replace("\"", "");
        String feature = value.startsWith("1.") ? value.substring(2) : value;
        int end = 0;
        while (end < feature.length() && Character.isDigit(feature.charAt(end))) {
            end++;
        }
        return end == 0 ? Optional.empty() : Optional.of(Integer.parseInt(feature.substring(0, end)));
    }

    private static List<Path> children(Path root) {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(root)) {
            return entries.sorted(Comparator.reverseOrder()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list " + root, e);
        }
    }
}
