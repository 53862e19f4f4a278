package io.github.milvuscdi.quarkus.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.milvuscdi.MilvusCredentialsProvider;
import io.github.milvuscdi.internal.container.CredentialsAdapter;
import io.quarkus.credentials.CredentialsProvider;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

/**
 * A Quarkus {@link CredentialsProvider} named by {@code credentials-provider} answers {@code user:password} for
 * the alias it is asked about, through the adapter the runtime jar finds in {@code META-INF/services}.
 */
class QuarkusCredentialsAdapterTest {

    private static MilvusCredentialsProvider adapted(Object bean) {
        for (CredentialsAdapter adapter : ServiceLoader.load(CredentialsAdapter.class)) {
            MilvusCredentialsProvider provider = adapter.adapt(bean);
            if (provider != null) {
                return provider;
            }
        }
        return null;
    }

    @Test
    void aQuarkusCredentialsProviderAnswersUserAndPasswordForTheAlias() {
        CredentialsProvider vault = new CredentialsProvider() {
            @Override
            public Map<String, String> getCredentials(String name) {
                return Map.of(USER_PROPERTY_NAME, name + "-service", PASSWORD_PROPERTY_NAME, "Pw-42");
            }
        };

        assertThat(adapted(vault).token("search")).isEqualTo("search-service:Pw-42");
    }

    @Test
    void anyOtherBeanIsNotAdapted() {
        assertThat(adapted("a bean of another type")).isNull();
    }
}
