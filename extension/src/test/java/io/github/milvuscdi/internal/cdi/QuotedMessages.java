package io.github.milvuscdi.internal.cdi;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The messages docs/outages.md quotes under "What callers and the log see", as a test compares them
 * with what callers and the log really get: the docs' example alias ({@code search}), address
 * ({@code milvus.internal.example:19530}) and connect-timeout ({@code 10000 ms}) replaced by the
 * test's, and the docs' wrapped lines joined again.
 */
final class QuotedMessages {

    private static final Path OUTAGES = Path.of("..", "docs", "outages.md");
    private static final Pattern TEXT_BLOCK = Pattern.compile("(?s)```text\\n(.*?)\\n```");

    private final List<String> blocks;
    private final String alias;
    private final String address;
    private final long connectTimeoutMillis;

    private QuotedMessages(List<String> blocks, String alias, String address, long connectTimeoutMillis) {
        this.blocks = blocks;
        this.alias = alias;
        this.address = address;
        this.connectTimeoutMillis = connectTimeoutMillis;
    }

    /** The quotes of docs/outages.md, as they would read for this alias, address and connect-timeout. */
    static QuotedMessages outages(String alias, String address, long connectTimeoutMillis) {
        String doc;
        try {
            doc = Files.readString(OUTAGES);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + OUTAGES.toAbsolutePath(), e);
        }
        int section = doc.indexOf("## What callers and the log see");
        if (section < 0) {
            throw new IllegalStateException(OUTAGES + " has no section 'What callers and the log see'");
        }
        List<String> blocks = new ArrayList<>();
        Matcher block = TEXT_BLOCK.matcher(doc.substring(section));
        while (block.find()) {
            blocks.add(block.group(1));
        }
        return new QuotedMessages(blocks, alias, address, connectTimeoutMillis);
    }

    /** @return the message of a call that waited connect-timeout, as quoted (the section's first block) */
    String failedCall() {
        return adapt(String.join(" ", blocks.get(0).lines().toList()));
    }

    /**
     * @param level {@code WARNING} or {@code INFO}
     * @return the log line of that level the section's second block quotes, without its level
     */
    String logLine(String level) {
        List<String> entries = new ArrayList<>();
        for (String line : blocks.get(1).lines().toList()) {
            if (line.startsWith("WARNING: ") || line.startsWith("INFO: ")) {
                entries.add(line);
            } else {
                entries.set(entries.size() - 1, entries.get(entries.size() - 1) + " " + line);
            }
        }
        return entries.stream()
                .filter(entry -> entry.startsWith(level + ": "))
                .map(entry -> adapt(entry.substring(level.length() + 2)))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException(OUTAGES + " quotes no " + level + " line"));
    }

    private String adapt(String quoted) {
        return quoted.replace("'search'", "'" + alias + "'")
                .replace("milvus.internal.example:19530", address)
                .replace("(10000 ms)", "(" + connectTimeoutMillis + " ms)");
    }
}
