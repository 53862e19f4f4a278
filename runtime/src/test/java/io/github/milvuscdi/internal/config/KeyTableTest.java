package io.github.milvuscdi.internal.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.eclipse.microprofile.config.Config;
import org.junit.jupiter.api.Test;

/**
 * The one table of keys ({@link ConnectionKey}, {@link GlobalKey}) is what docs/configuration.md shows, row for
 * row, and its defaults are what the reader applies. When a row differs, the failure prints the table to paste.
 */
class KeyTableTest {

    private static final Path REFERENCE = Path.of("..", "docs", "configuration.md");
    private static final String HEADER = "| key | meaning | default |\n|---|---|---|\n";

    @Test
    void theReferenceShowsEveryKeyOfAnAliasWithItsMeaningAndDefault() throws Exception {
        String expected = HEADER
                + Arrays.stream(ConnectionKey.values())
                        .map(key -> row(key.declaration()))
                        .collect(Collectors.joining());
        assertThat(table("<!-- connection-keys: a test checks this table against the keys the code accepts -->"))
                .as("docs/configuration.md's table of an alias's keys, generated from ConnectionKey")
                .isEqualTo(expected);
    }

    @Test
    void theReferenceShowsEveryGlobalKeyWithItsMeaningAndDefault() throws Exception {
        String expected =
                HEADER + GlobalKey.values().stream().map(KeyTableTest::row).collect(Collectors.joining());
        assertThat(table("<!-- global-keys: a test checks this table against the global keys the code reads -->"))
                .as("docs/configuration.md's table of global keys, generated from GlobalKey")
                .isEqualTo(expected);
    }

    @Test
    void anAliasKeySetToItsDefaultReadsAsTheKeyUnset() {
        ConnectionSettingsReader reader = new ConnectionSettingsReader(name -> null);
        List<ConnectionKey> applied = Arrays.stream(ConnectionKey.values())
                .filter(key -> key.declaration().defaultValue().value() != null)
                .toList();
        assertThat(applied).hasSizeGreaterThan(10);
        for (ConnectionKey key : applied) {
            // host and port are a location of their own: each is read beside the other one
            Map<String, String> unset =
                    new HashMap<>(key == ConnectionKey.HOST ? Map.of("port", "19530") : Map.of("host", "localhost"));
            Map<String, String> set = new HashMap<>(unset);
            set.put(key.key(), key.declaration().defaultValue().value());
            assertThat(reader.read("search", set))
                    .as(
                            "%s set to its default %s",
                            key.key(), key.declaration().defaultValue().value())
                    .isEqualTo(reader.read("search", unset));
        }
    }

    @Test
    void aGlobalKeySetToItsDefaultReadsAsTheKeyUnset() {
        for (KeyDeclaration key : GlobalKey.values()) {
            MilvusConfiguration unset = MilvusConfiguration.read(config(Map.of()), Set.of());
            MilvusConfiguration set = MilvusConfiguration.read(
                    config(Map.of(key.key(), key.defaultValue().value())), Set.of());
            assertThat(set.problems()).as(key.key()).isEmpty();
            assertThat(List.of(set.healthEnabled(), set.healthTimeout(), set.telemetryEnabled()))
                    .as(
                            "%s set to its default %s",
                            key.key(), key.defaultValue().value())
                    .isEqualTo(List.of(unset.healthEnabled(), unset.healthTimeout(), unset.telemetryEnabled()));
        }
    }

    private static String row(KeyDeclaration key) {
        return "| `" + key.key() + "` | " + key.meaning() + " | "
                + key.defaultValue().documented() + " |\n";
    }

    /** The lines between a marker and its closing marker, each ending in a newline. */
    private static String table(String marker) throws Exception {
        List<String> lines = Files.readAllLines(REFERENCE);
        int start = lines.indexOf(marker);
        assertThat(start).as("docs/configuration.md has the marker " + marker).isNotNegative();
        List<String> table = new ArrayList<>();
        for (String line : lines.subList(start + 1, lines.size())) {
            if (line.startsWith("<!-- /")) {
                break;
            }
            table.add(line + "\n");
        }
        return String.join("", table);
    }

    private static Config config(Map<String, String> properties) {
        return new SmallRyeConfigBuilder()
                .withSources(new PropertiesConfigSource(properties, "test", 100))
                .build();
    }
}
