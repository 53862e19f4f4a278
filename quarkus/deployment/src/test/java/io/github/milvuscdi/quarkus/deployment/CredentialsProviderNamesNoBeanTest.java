package io.github.milvuscdi.quarkus.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.milvuscdi.MilvusConfigurationException;
import io.github.milvuscdi.MilvusCredentialsProvider;
import io.quarkus.credentials.CredentialsProvider;
import io.quarkus.test.QuarkusUnitTest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A {@code credentials-provider} that names no bean fails the build, printed once as every configuration problem
 * is, naming the alias, the key, the value, the types a provider may have (Quarkus's {@link CredentialsProvider}
 * among them) and the providers the application has: not only at the alias's first connect.
 */
class CredentialsProviderNamesNoBeanTest {

    private static final String PROBLEM = "alias 'default': milvus.connections.default.credentials-provider="
            + "'vault-milvs' names no bean; add @Named(\"vault-milvs\") to a bean implementing"
            + " io.github.milvuscdi.MilvusCredentialsProvider or io.quarkus.credentials.CredentialsProvider, or correct"
            + " the name (named credentials providers: quarkus-vault, vault-milvus)";

    @RegisterExtension
    static final QuarkusUnitTest APP = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar.addClasses(VaultMilvus.class, QuarkusVault.class))
            .overrideConfigKey("milvus.connections.default.uri", "http://127.0.0.1:1")
            .overrideConfigKey("milvus.connections.default.credentials-provider", "vault-milvs")
            .overrideConfigKey("milvus.devservices.enabled", "false")
            .setLogRecordPredicate(record -> true)
            .assertLogRecords(records -> assertThat(records)
                    .as("log records holding the problem")
                    .filteredOn(record -> String.valueOf(record.getMessage()).contains(PROBLEM))
                    .singleElement()
                    .satisfies(record -> assertThat(record.getLevel().getName()).isEqualTo("ERROR")))
            .assertException(failure -> {
                StringWriter trace = new StringWriter();
                failure.printStackTrace(new PrintWriter(trace));
                assertThat(trace.toString())
                        .as("the failure's stack trace, as the test framework and Maven print it")
                        .doesNotContain(PROBLEM)
                        .contains("io.github.milvuscdi.MilvusConfigurationException: Invalid Milvus configuration"
                                + " (1 problem), logged in full at ERROR by"
                                + " io.github.milvuscdi.internal.cdi.MilvusBuildCompatibleExtension");
                Throwable cause = failure;
                while (cause != null && !(cause instanceof MilvusConfigurationException)) {
                    cause = cause.getCause();
                }
                assertThat(cause).as("what users catch").isInstanceOf(MilvusConfigurationException.class);
                assertThat(cause.getMessage()).isEqualTo("Invalid Milvus configuration: " + PROBLEM);
            });

    /** The provider the name was meant for. */
    @ApplicationScoped
    @Named("vault-milvus")
    static class VaultMilvus implements MilvusCredentialsProvider {
        @Override
        public String token(String alias) {
            return "search-service:Pw-42";
        }
    }

    /** A Quarkus credentials provider, which a {@code credentials-provider} may name too. */
    @ApplicationScoped
    @Named("quarkus-vault")
    static class QuarkusVault implements CredentialsProvider {
        @Override
        public Map<String, String> getCredentials(String name) {
            return Map.of(USER_PROPERTY_NAME, "search-service", PASSWORD_PROPERTY_NAME, "Pw-42");
        }
    }

    @Test
    void theBuildFails() {
        Assertions.fail("the application must not start");
    }
}
