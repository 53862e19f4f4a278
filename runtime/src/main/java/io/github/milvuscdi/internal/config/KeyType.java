package io.github.milvuscdi.internal.config;

import java.time.Duration;

/**
 * What a configuration key holds, as a column of the one table of keys ({@link ConnectionKey}, {@link GlobalKey}).
 * The reader reads each key's value with the rules of its type; the Quarkus mapping declares the Java type
 * {@link #javaType()} for it (a test checks both against each other).
 */
public enum KeyType {
    /** Text, trimmed. */
    TEXT(String.class),
    /** Text that is never shown: not in a log, an exception, a {@code toString} or health output. */
    SECRET(String.class),
    /** The path of a readable file. */
    PATH(String.class),
    /** A whole number. */
    INTEGER(Integer.class),
    /** {@code true} or {@code false}. */
    BOOLEAN(Boolean.class),
    /** ISO-8601 ({@code PT10S}) or a number with {@code ms}, {@code s}, {@code m}, {@code h}; a bare number is seconds. */
    DURATION(Duration.class);

    private final Class<?> javaType;

    KeyType(Class<?> javaType) {
        this.javaType = javaType;
    }

    /** @return the Java type a value of this kind is read as */
    public Class<?> javaType() {
        return javaType;
    }
}
