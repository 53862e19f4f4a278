package io.github.milvuscdi.internal.cdi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.github.milvuscdi.MilvusConnection;
import io.github.milvuscdi.MilvusCredentialsProvider;
import io.github.milvuscdi.internal.cdi.Containers.Path;
import io.milvus.v2.client.MilvusClientV2;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Named;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import org.jboss.weld.environment.se.WeldContainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A {@code credentials-provider} that names no bean this library can ask fails the deployment, naming the alias,
 * the key, the value and the fix, as every other configuration problem does, rather than the alias's first
 * connect. Nothing connects here: no server is needed.
 */
class CredentialsProviderBeanTest {

    private static final String KEY = "milvus.connections.search.credentials-provider";
    private static final Map<String, String> LOCATION = Map.of("milvus.connections.search.uri", "http://127.0.0.1:1");

    /** The provider the application has. */
    @ApplicationScoped
    @Named("vault-milvus")
    static class VaultMilvus implements MilvusCredentialsProvider {
        @Override
        public String token(String alias) {
            return "search-service:Pw-42";
        }
    }

    /** A second provider under the same name. */
    @ApplicationScoped
    @Named("vault-milvus")
    static class OtherVaultMilvus implements MilvusCredentialsProvider {
        @Override
        public String token(String alias) {
            return "other-service:Pw-42";
        }
    }

    /** A named bean of the application that is no provider. */
    @Dependent
    @Named("vault-milvus")
    static class VaultClient {}

    /** A provider made by a producer method, with its default name. */
    @Dependent
    static class Producers {
        @Produces
        @Named
        MilvusCredentialsProvider producedCredentials() {
            return alias -> "search-service:Pw-42";
        }
    }

    @ParameterizedTest
    @EnumSource(Path.class)
    void aNameWithATypoFailsTheDeploymentNamingTheProvidersThere(Path path) throws Exception {
        String problem = "alias 'search': " + KEY + "='vault-milvs' names no bean; add @Named(\"vault-milvs\") to a"
                + " bean implementing io.github.milvuscdi.MilvusCredentialsProvider, or correct the name (named"
                + " credentials providers: vault-milvus)";

        String failure = deploymentFailure(path, "vault-milvs", VaultMilvus.class);

        assertThat(failure).contains(problem);
        TroubleshootingPage.assertQuotes(problem, "search", "127.0.0.1:1", "search", "127.0.0.1:1");
    }

    @ParameterizedTest
    @EnumSource(Path.class)
    void aNameWithNoProviderAtAllSaysSo(Path path) throws Exception {
        assertThat(deploymentFailure(path, "vault-milvus"))
                .contains("alias 'search': " + KEY + "='vault-milvus' names no bean; add @Named(\"vault-milvus\") to"
                        + " a bean implementing io.github.milvuscdi.MilvusCredentialsProvider, or correct the name"
                        + " (the application has no named credentials provider)");
    }

    @ParameterizedTest
    @EnumSource(Path.class)
    void aNamedBeanOfAnotherTypeFailsTheDeploymentNamingItsClass(Path path) throws Exception {
        assertThat(deploymentFailure(path, "vault-milvus", VaultClient.class))
                .contains("alias 'search': " + KEY + "='vault-milvus' names a bean that does not implement"
                        + " io.github.milvuscdi.MilvusCredentialsProvider (" + VaultClient.class.getName()
                        + "); implement it there, or name a bean that does (the application has no named credentials"
                        + " provider)");
    }

    /**
     * On the build-compatible path the container's own check of ambiguous names comes first (ArC's and Weld's);
     * the portable extension reports the problem before it, in the alias's terms.
     */
    @Test
    void twoProvidersOfOneNameFailTheDeploymentNamingBoth() throws Exception {
        assertThat(deploymentFailure(Path.PORTABLE, "vault-milvus", VaultMilvus.class, OtherVaultMilvus.class))
                .contains("alias 'search': " + KEY + "='vault-milvus' names 2 beans ("
                        + OtherVaultMilvus.class.getName() + ", " + VaultMilvus.class.getName()
                        + "); keep @Named(\"vault-milvus\") on one of them");
        assertThat(deploymentFailure(Path.BUILD_COMPATIBLE, "vault-milvus", VaultMilvus.class, OtherVaultMilvus.class))
                .contains("vault-milvus");
    }

    @ParameterizedTest
    @EnumSource(Path.class)
    void aNamedProviderClassOrProducerDeploys(Path path) throws Exception {
        for (String name : new String[] {"vault-milvus", "producedCredentials"}) {
            try (AutoCloseable config = config(name);
                    WeldContainer container = Containers.boot(path, VaultMilvus.class, Producers.class)) {
                assertThat(container
                                .select(MilvusClientV2.class, MilvusConnection.Literal.of("search"))
                                .isResolvable())
                        .as("the client of alias 'search' with " + KEY + "=" + name)
                        .isTrue();
            }
        }
    }

    private static String deploymentFailure(Path path, String name, Class<?>... beans) throws Exception {
        try (AutoCloseable config = config(name)) {
            Throwable failure =
                    catchThrowable(() -> Containers.boot(path, beans).close());
            assertThat(failure).as("the deployment's failure").isNotNull();
            StringWriter trace = new StringWriter();
            failure.printStackTrace(new PrintWriter(trace));
            return trace.toString();
        }
    }

    private static AutoCloseable config(String name) {
        Map<String, String> properties = new java.util.HashMap<>(LOCATION);
        properties.put(KEY, name);
        return Containers.useConfig(properties);
    }
}
