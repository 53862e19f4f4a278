package io.github.milvuscdi.it.quarkus;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a {@code MilvusLiteServer} field of a test for {@link MilvusLiteResource} to fill with the
 * server behind an alias.
 *
 * <pre>{@code
 * @MilvusLite("archive")
 * MilvusLiteServer archive;
 * }</pre>
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.FIELD)
public @interface MilvusLite {

    /** The alias whose server the field receives. */
    String value();
}
