package io.github.milvuscdi.internal.container;

import io.github.milvuscdi.MilvusCredentialsProvider;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.literal.NamedLiteral;

/**
 * Finds the application bean an alias's {@code credentials-provider} names: a {@code @Named}
 * {@link MilvusCredentialsProvider}.
 */
final class NamedCredentials {

    private NamedCredentials() {}

    /**
     * @param beans the container's beans
     * @param name the bean's name
     * @return the bean; {@code null} when no such bean, or more than one, is there
     */
    static MilvusCredentialsProvider find(Instance<Object> beans, String name) {
        Instance<MilvusCredentialsProvider> named =
                beans.select(MilvusCredentialsProvider.class, NamedLiteral.of(name));
        return named.isResolvable() ? named.get() : null;
    }
}
