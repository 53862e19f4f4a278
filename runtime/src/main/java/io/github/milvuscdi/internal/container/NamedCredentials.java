package io.github.milvuscdi.internal.container;

import io.github.milvuscdi.MilvusCredentialsProvider;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.literal.NamedLiteral;

/**
 * Finds the application bean an alias's {@code credentials-provider} names: a {@code @Named}
 * {@link MilvusCredentialsProvider}, or a bean of another type a {@link CredentialsAdapter} knows (on Quarkus,
 * an {@code io.quarkus.credentials.CredentialsProvider}).
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
        if (named.isResolvable()) {
            return named.get();
        }
        Instance<Object> other = beans.select(Object.class, NamedLiteral.of(name));
        if (!other.isResolvable()) {
            return null;
        }
        Object bean = other.get();
        for (CredentialsAdapter adapter : CredentialsAdapters.available()) {
            try {
                MilvusCredentialsProvider adapted = adapter.adapt(bean);
                if (adapted != null) {
                    return adapted;
                }
            } catch (LinkageError typesMissing) {
                // an adapter for a library the application does not have: skipped
            }
        }
        return null;
    }
}
