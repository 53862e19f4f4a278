package io.github.milvuscdi.quarkus.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.milvuscdi.MilvusCredentialsProvider;
import io.quarkus.arc.Arc;
import io.quarkus.arc.BeanCreator;
import io.quarkus.arc.SyntheticCreationalContext;
import io.quarkus.arc.deployment.SyntheticBeanBuildItem;
import io.quarkus.credentials.CredentialsProvider;
import io.quarkus.test.QuarkusUnitTest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.literal.NamedLiteral;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code credentials-provider} naming a {@link MilvusCredentialsProvider}, a Quarkus {@link CredentialsProvider} and
 * a synthetic provider an extension adds (which ArC adds after a build-compatible extension's registration phase):
 * the build accepts all three, and ArC keeps the beans although nothing injects them (a named bean is never removed
 * as unused), so each alias finds its provider when it connects. Nothing connects here.
 */
class NamedCredentialsProvidersBuildTest {

    @RegisterExtension
    static final QuarkusUnitTest APP = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar.addClasses(
                    VaultMilvus.class, QuarkusVault.class, SyntheticProvider.class, SyntheticVault.class))
            .overrideConfigKey("milvus.connections.default.uri", "http://127.0.0.1:1")
            .overrideConfigKey("milvus.connections.default.credentials-provider", "vault-milvus")
            .overrideConfigKey("milvus.connections.archive.uri", "http://127.0.0.1:1")
            .overrideConfigKey("milvus.connections.archive.credentials-provider", "quarkus-vault")
            .overrideConfigKey("milvus.connections.synthetic.uri", "http://127.0.0.1:1")
            .overrideConfigKey("milvus.connections.synthetic.credentials-provider", "synthetic-vault")
            .overrideConfigKey("milvus.devservices.enabled", "false")
            .addBuildChainCustomizer(chain -> chain.addBuildStep(
                            context -> context.produce(SyntheticBeanBuildItem.configure(SyntheticProvider.class)
                                    .types(MilvusCredentialsProvider.class)
                                    .named("synthetic-vault")
                                    .scope(Singleton.class)
                                    .creator(SyntheticVault.class)
                                    .done()))
                    .produces(SyntheticBeanBuildItem.class)
                    .build());

    /**
     * The synthetic provider's class: no bean by itself (no bean-defining annotation); ArC generates the synthetic
     * bean in its package, where the application's classes are visible.
     */
    public static class SyntheticProvider implements MilvusCredentialsProvider {
        @Override
        public String token(String alias) {
            return "synthetic-service:Pw-42";
        }
    }

    /** Creates the synthetic provider, as an extension's bean creator would. */
    public static class SyntheticVault implements BeanCreator<SyntheticProvider> {
        @Override
        public SyntheticProvider create(SyntheticCreationalContext<SyntheticProvider> context) {
            return new SyntheticProvider();
        }
    }

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
        assertThat(Arc.container()
                        .select(MilvusCredentialsProvider.class, NamedLiteral.of("synthetic-vault"))
                        .get()
                        .token("synthetic"))
                .isEqualTo("synthetic-service:Pw-42");
    }
}
