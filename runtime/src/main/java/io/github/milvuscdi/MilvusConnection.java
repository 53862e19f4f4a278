package io.github.milvuscdi;

import static java.lang.annotation.ElementType.FIELD;
import static java.lang.annotation.ElementType.METHOD;
import static java.lang.annotation.ElementType.PARAMETER;
import static java.lang.annotation.ElementType.TYPE;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import jakarta.enterprise.util.AnnotationLiteral;
import jakarta.inject.Qualifier;
import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;
import java.util.Objects;

/**
 * Selects the Milvus connection with the given alias, configured under
 * {@code milvus.connections.<alias>.*}.
 *
 * <pre>{@code
 * @Inject @MilvusConnection("search") MilvusClientV2 search;
 * @Inject MilvusClientV2 milvus;                                   // alias "default"
 * @Inject @MilvusConnection("search") Instance<MilvusClientV2> lazy;
 * MilvusClientV2 c = CDI.current().select(MilvusClientV2.class, MilvusConnection.Literal.of("search")).get();
 * }</pre>
 */
@Qualifier
@Documented
@Retention(RUNTIME)
@Target({FIELD, METHOD, PARAMETER, TYPE})
public @interface MilvusConnection {

    /** The alias of the connection used when none is named. */
    String DEFAULT_ALIAS = "default";

    /**
     * The alias of the connection.
     *
     * @return the alias, never empty
     */
    String value() default DEFAULT_ALIAS;

    /**
     * A literal for programmatic lookup, e.g. {@code MilvusConnection.Literal.of("search")}.
     * Immutable and thread-safe.
     */
    final class Literal extends AnnotationLiteral<MilvusConnection> implements MilvusConnection {

        private static final long serialVersionUID = 1L;

        /** The literal for alias {@code default}. */
        public static final Literal DEFAULT = new Literal(DEFAULT_ALIAS);

        private final String value;

        private Literal(String value) {
            this.value = value;
        }

        /**
         * Returns the qualifier for one alias.
         *
         * @param alias the alias, not {@code null}
         * @return a qualifier instance equal to {@code @MilvusConnection(alias)}
         */
        public static Literal of(String alias) {
            return new Literal(Objects.requireNonNull(alias, "alias"));
        }

        @Override
        public String value() {
            return value;
        }
    }
}
