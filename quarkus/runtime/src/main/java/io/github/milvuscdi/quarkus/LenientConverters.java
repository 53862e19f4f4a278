package io.github.milvuscdi.quarkus;

import io.quarkus.runtime.configuration.DurationConverter;
import java.time.Duration;
import org.eclipse.microprofile.config.spi.Converter;

/**
 * Converters that never reject a value: the documented mappings give Quarkus the keys' types, while
 * milvus-cdi's reader stays the one that validates values (with its own messages, when an alias is
 * used). An unreadable value reads as absent here.
 */
public final class LenientConverters {

    private LenientConverters() {}

    /** A port or another integer; {@code null} when not one. */
    public static final class Int implements Converter<Integer> {
        private static final long serialVersionUID = 1L;

        /** Used by SmallRye Config. */
        public Int() {}

        @Override
        public Integer convert(String value) {
            try {
                return Integer.valueOf(value.trim());
            } catch (NumberFormatException e) {
                return null;
            }
        }
    }

    /** {@code true} or {@code false}; {@code null} otherwise. */
    public static final class Bool implements Converter<Boolean> {
        private static final long serialVersionUID = 1L;

        /** Used by SmallRye Config. */
        public Bool() {}

        @Override
        public Boolean convert(String value) {
            String text = value.trim();
            return "true".equalsIgnoreCase(text) ? Boolean.TRUE : "false".equalsIgnoreCase(text) ? Boolean.FALSE : null;
        }
    }

    /** A duration as Quarkus writes them; {@code null} when not one. */
    public static final class Time implements Converter<Duration> {
        private static final long serialVersionUID = 1L;

        /** Used by SmallRye Config. */
        public Time() {}

        @Override
        public Duration convert(String value) {
            try {
                return DurationConverter.parseDuration(value);
            } catch (RuntimeException e) {
                return null;
            }
        }
    }
}
