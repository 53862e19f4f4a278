package io.github.milvuscdi.internal.config;

import java.time.Duration;

/**
 * One row of the table of keys: what {@link ConnectionKey} and {@link GlobalKey} declare for each key.
 *
 * @param key the name: after {@code milvus.connections.<alias>.} for a connection key, in full for a global key
 * @param type what the key holds; {@link KeyType#SECRET} is never shown
 * @param defaultValue a value the reader applies when the key is unset, words, or none
 * @param meaning one sentence of Markdown, the meaning column of docs/configuration.md
 */
public record KeyDeclaration(String key, KeyType type, KeyDefault defaultValue, String meaning) {

    int defaultInteger() {
        return Integer.parseInt(defaultValue.applied(key, type, KeyType.INTEGER));
    }

    boolean defaultBoolean() {
        return Boolean.parseBoolean(defaultValue.applied(key, type, KeyType.BOOLEAN));
    }

    Duration defaultDuration() {
        return Durations.parse(defaultValue.applied(key, type, KeyType.DURATION), false)
                .duration();
    }

    String defaultText() {
        return defaultValue.applied(key, type, KeyType.TEXT);
    }
}
