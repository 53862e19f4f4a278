package io.github.milvuscdi.quarkus.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.milvuscdi.MilvusCredentialsProvider;
import io.quarkus.arc.Arc;
import io.quarkus.credentials.CredentialsProvider;
import io.quarkus.test.QuarkusUnitTest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.literal.NamedLiteral;
import jakarta.inject.Named;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code credentials-provider} naming a {@link MilvusCredentialsProvider} and a Quarkus {@link CredentialsProvider}:
 * the build accepts both, and ArC keeps both beans although nothing injects them (a named bean is never removed as
 * unused), so the alias finds its provider when it connects. Nothing connects here.
 */
class NamedCredentialsProvidersBuildTest {

    @RegisterExtension
    static final QuarkusUnitTest APP = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar.addClasses(VaultMilvus.class, QuarkusVault.class))
            .overrideConfigKey("milvus.connections.default.uri", "http://127.0.0.1:1")
            .overrideConfigKey("milvus.connections.default.credentials-provider", "vault-milvus")
            .overrideConfigKey("milvus.connections.archive.uri", "http://127.0.0.1:1")
            .overrideConfigKey("milvus.connections.archive.credentials-provider", "quarkus-vault")
            .overrideConfigKey("milvus.devservices.enabled", "false");

    @ApplicationScoped
    @Named("vault-milvus")
    static class VaultMilvus implements MilvusCredentialsProvider {
        @Override
        public String token(String alias) {
            return "search-service:Pw-42";
        }
    }

    @ApplicationScoped
    @Named("quarkus-vault")
    static class QuarkusVault implements CredentialsProvider {
        @Override
        public Map<String, String> getCredentials(String name) {
            return Map.of(USER_PROPERTY_NAME, "archive-service", PASSWORD_PROPERTY_NAME, "Pw-42");
        }
    }

    @Test
    void bothProvidersAreThereForTheirAliases() {
        assertThat(Arc.container()
                        .select(MilvusCredentialsProvider.class, NamedLiteral.of("vault-milvus"))
                        .get()
                        .token("default"))
                .isEqualTo("search-service:Pw-42");
        assertThat(Arc.container()
                        .select(CredentialsProvider.class, NamedLiteral.of("quarkus-vault"))
                        .get()
                        .getCredentials("archive"))
                .containsEntry(CredentialsProvider.USER_PROPERTY_NAME, "archive-service");
    }
}
