package io.github.milvuscdi.internal.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The table of docs/configuration.md and the keys the code accepts cannot drift apart. */
class ConfigurationReferenceTableTest {

    private static final Pattern ROW = Pattern.compile("^\\| `([a-z.-]+)` \\|");

    @Test
    void theTableListsExactlyTheAcceptedKeysInOrder() throws Exception {
        List<String> lines = Files.readAllLines(Path.of("..", "docs", "configuration.md"));
        int start =
                lines.indexOf("<!-- connection-keys: a test checks this table against the keys the code accepts -->");
        int end = lines.indexOf("<!-- /connection-keys -->");
        assertThat(start).as("docs/configuration.md marks the table").isNotNegative();
        assertThat(end).isGreaterThan(start);
        Set<String> documented = new LinkedHashSet<>();
        for (String line : lines.subList(start, end)) {
            Matcher row = ROW.matcher(line);
            if (row.find()) {
                documented.add(row.group(1));
            }
        }
        Set<String> accepted = Arrays.stream(ConnectionKey.values())
                .map(ConnectionKey::key)
                .collect(Collectors.toCollection(LinkedHashSet::new));
        assertThat(documented).containsExactlyElementsOf(accepted);
    }
}
