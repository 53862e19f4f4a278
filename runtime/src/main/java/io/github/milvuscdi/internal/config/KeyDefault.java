package io.github.milvuscdi.internal.config;

/**
 * The default column of the one table of keys: a value that the reader applies when the key is not set,
 * written as in configuration ({@link #value(String)}); or words saying who decides instead, which the
 * reader does not apply ({@link #words(String)}: "SDK's", "the host"); or {@link #NONE}.
 *
 * @param value the value applied when the key is unset, as written in configuration; {@code null} when none is
 * @param words Markdown shown in the documentation instead of a value; {@code null} when there is a value or none
 */
public record KeyDefault(String value, String words) {

    /** No default: the key is unset until configured. */
    public static final KeyDefault NONE = new KeyDefault(null, null);

    /**
     * A default the reader applies.
     *
     * @param value as written in configuration, e.g. {@code "10s"}
     * @return the default
     */
    public static KeyDefault value(String value) {
        return new KeyDefault(value, null);
    }

    /**
     * A default the reader does not apply: the key stays unset and someone else decides (the SDK, another key).
     *
     * @param words Markdown, e.g. {@code "SDK's"}
     * @return the default
     */
    public static KeyDefault words(String words) {
        return new KeyDefault(null, words);
    }

    /** @return the cell of the documentation's table: {@code `10s`}, the words, or {@code —} */
    public String documented() {
        return value != null ? "`" + value + "`" : words != null ? words : "—";
    }

    /** The value applied, for a reader that expects a default of the given type; fails when there is none. */
    String applied(String key, KeyType type, KeyType expected) {
        if (value == null || type != expected) {
            throw new IllegalStateException(key + " has no " + expected + " default in the table of keys");
        }
        return value;
    }
}
