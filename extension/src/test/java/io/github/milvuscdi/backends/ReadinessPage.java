package io.github.milvuscdi.backends;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * docs/readiness.md, as the readiness tests check it: the entries its "Collections" section quotes are
 * the ones the tests see on milvus-lite, with the page's address ({@value #DOC_ADDRESS}) for the
 * test's and any latency; the log lines it quotes are the ones the tests capture.
 */
final class ReadinessPage {

    private static final Path PAGE = Path.of("..", "docs", "readiness.md");
    private static final String DOC_ADDRESS = "127.0.0.1:19530";
    private static final Pattern TEXT_BLOCK = Pattern.compile("(?s)```text\\n(.*?)\\n```");
    private static final Pattern LATENCY = Pattern.compile(" latency=\\d+ms");

    private ReadinessPage() {}

    /**
     * Asserts that the "Collections" section quotes {@code entry} as one of its example entries.
     *
     * @param entry a readiness entry as the test saw it
     * @param address the test server's address
     */
    static void assertQuotesEntry(String entry, String address) {
        String section = section("## Collections");
        Matcher block = TEXT_BLOCK.matcher(section);
        assertThat(block.find())
                .as(PAGE + " has a text block under Collections")
                .isTrue();
        List<String> quoted =
                block.group(1).lines().map(ReadinessPage::withoutLatency).toList();
        assertThat(quoted)
                .as(PAGE + " quotes the entry the test saw")
                .contains(withoutLatency(entry.replace(address, DOC_ADDRESS)));
    }

    /** Asserts that the page quotes {@code line} (a log line, say) word for word. */
    static void assertQuotes(String line) {
        assertThat(read()).as(PAGE + " quotes the line the test saw").contains(line);
    }

    private static String withoutLatency(String entry) {
        return LATENCY.matcher(entry).replaceAll(" latency=…");
    }

    private static String section(String heading) {
        String page = read();
        int at = page.indexOf(heading);
        assertThat(at).as(PAGE + " has the section " + heading).isNotNegative();
        int next = page.indexOf("\n## ", at + heading.length());
        return next < 0 ? page.substring(at) : page.substring(at, next);
    }

    private static String read() {
        try {
            return Files.readString(PAGE);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + PAGE.toAbsolutePath(), e);
        }
    }
}
