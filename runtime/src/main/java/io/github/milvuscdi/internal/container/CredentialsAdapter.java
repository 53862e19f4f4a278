package io.github.milvuscdi.internal.container;

import io.github.milvuscdi.MilvusCredentialsProvider;

/**
 * Lets a bean of another type answer for {@code credentials-provider}: Quarkus's
 * {@code io.quarkus.credentials.CredentialsProvider}, adapted by the Quarkus extension's runtime jar, which
 * registers its adapter in {@code META-INF/services}. An adapter whose types are missing from the class path is
 * skipped ({@link CredentialsAdapters}).
 */
public interface CredentialsAdapter {

    /**
     * The type this adapter adapts, by name, so that a deployment can check that a {@code credentials-provider}
     * names a bean it can use without loading the bean's class.
     *
     * @return the fully qualified name of a class or interface, such as
     *     {@code io.quarkus.credentials.CredentialsProvider}
     */
    String adaptedType();

    /**
     * Adapts a bean found by its {@code @Named} name.
     *
     * @param bean the bean
     * @return a provider answering for it; {@code null} when this adapter does not know its type
     */
    MilvusCredentialsProvider adapt(Object bean);
}
