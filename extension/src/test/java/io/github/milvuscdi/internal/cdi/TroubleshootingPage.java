package io.github.milvuscdi.internal.cdi;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * docs/troubleshooting-connections.md, as the connect-failure tests check it: each message they see is
 * quoted there word for word, up to the transport's own words in parentheses at the end (gRPC's and
 * the server's, which may change between versions).
 */
public final class TroubleshootingPage {

    private static final Path PAGE = Path.of("..", "docs", "troubleshooting-connections.md");
    private static final Pattern TRANSPORT_WORDS =
            Pattern.compile(" \\((INTERNAL|UNAVAILABLE|UNAUTHENTICATED|UNIMPLEMENTED): ");

    private TroubleshootingPage() {}

    /**
     * Asserts that the page quotes {@code message}, with {@code docAlias} and {@code docAddress} in
     * place of the test's alias and address.
     *
     * @param message the failure's message as the test saw it
     * @param alias the test's alias, such as {@code secured}
     * @param address the test's address, such as {@code 127.0.0.1:43671}
     * @param docAlias the page's alias, {@code search}
     * @param docAddress the page's address for this case, such as {@code 127.0.0.1:19530}
     */
    public static void assertQuotes(String message, String alias, String address, String docAlias, String docAddress) {
        String stable = message.replace(address, docAddress)
                .replace("'" + alias + "'", "'" + docAlias + "'")
                .replace("milvus.connections." + alias + ".", "milvus.connections." + docAlias + ".");
        Matcher transport = TRANSPORT_WORDS.matcher(stable);
        if (transport.find()) {
            stable = stable.substring(0, transport.start());
        }
        String page;
        try {
            page = Files.readString(PAGE);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + PAGE.toAbsolutePath(), e);
        }
        assertThat(page).as(PAGE + " quotes the message").contains(stable);
    }
}
