package io.github.milvuscdi.quarkus.runtime;

import io.github.milvuscdi.MilvusCredentialsProvider;
import io.github.milvuscdi.internal.container.CredentialsAdapter;
import io.quarkus.credentials.CredentialsProvider;
import java.util.Map;

/**
 * Lets {@code milvus.connections.<alias>.credentials-provider} name a Quarkus {@link CredentialsProvider} bean
 * ({@code @Named}), as {@code quarkus.datasource.credentials-provider} does: it is asked
 * {@code getCredentials(alias)}, and its {@code user} and {@code password} become {@code user:password}.
 * {@code io.quarkus:quarkus-credentials} is optional: without it this adapter is skipped.
 */
public final class QuarkusCredentialsAdapter implements CredentialsAdapter {

    @Override
    public String adaptedType() {
        return CredentialsProvider.class.getName();
    }

    @Override
    public MilvusCredentialsProvider adapt(Object bean) {
        if (!(bean instanceof CredentialsProvider provider)) {
            return null;
        }
        return alias -> {
            Map<String, String> credentials = provider.getCredentials(alias);
            if (credentials == null) {
                return null;
            }
            String user = credentials.get(CredentialsProvider.USER_PROPERTY_NAME);
            String password = credentials.get(CredentialsProvider.PASSWORD_PROPERTY_NAME);
            return user == null || password == null ? null : user + ":" + password;
        };
    }
}
