package io.github.milvuscdi.quarkus.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.milvuscdi.launcher.MilvusServer;
import io.github.milvuscdi.launcher.MilvusServerOptions;
import io.github.milvuscdi.testing.Await;
import io.milvus.v2.client.ConnectConfig;
import io.milvus.v2.client.MilvusClientV2;
import io.milvus.v2.service.rbac.request.CreateUserReq;
import io.milvus.v2.service.rbac.request.DropUserReq;
import io.milvus.v2.service.rbac.request.GrantRoleReq;
import io.quarkus.credentials.CredentialsProvider;
import io.quarkus.test.QuarkusUnitTest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code credentials-provider} naming a Quarkus {@link CredentialsProvider} bean, as
 * {@code quarkus.datasource.credentials-provider} does, against Milvus's own server with authentication: the
 * client works with the bean's first answer; once that user is dropped and the bean answers a second user, new
 * calls send the second user's credentials without a restart.
 */
class CredentialsProviderTest {

    private static final Duration BOUND = Duration.ofSeconds(30);
    private static final String URI_PROPERTY = "milvus-cdi.credentials-provider-test.uri";

    /**
     * QuarkusUnitTest loads this class a second time in the application's class loader: the server is started by
     * the first copy only, which stops it after all; the second finds its address in a system property.
     */
    private static final MilvusServer SERVER = startedOnce();

    private static final String URI = System.getProperty(URI_PROPERTY);

    @RegisterExtension
    static final QuarkusUnitTest APP = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar.addClass(SwitchableCredentials.class))
            .overrideConfigKey("milvus.connections.default.uri", URI)
            .overrideConfigKey("milvus.connections.default.credentials-provider", "milvus-test-credentials")
            .overrideConfigKey("milvus.connections.default.retry.max-attempts", "1") // a refusal is seen at once
            .setAfterAllCustomizer(CredentialsProviderTest::stopServer);

    /** The application's provider: answers the user the test last set, asked by the name it was given. */
    @ApplicationScoped
    @Named("milvus-test-credentials")
    static class SwitchableCredentials implements CredentialsProvider {
        static volatile String user = "quarkusfirst";

        @Override
        public Map<String, String> getCredentials(String credentialsProviderName) {
            String current = user;
            return Map.of(USER_PROPERTY_NAME, current, PASSWORD_PROPERTY_NAME, password(current));
        }
    }

    @Inject
    MilvusClientV2 client;

    private static MilvusServer startedOnce() {
        if (System.getProperty(URI_PROPERTY) != null) {
            return null;
        }
        MilvusServer server = MilvusServer.start(
                "quarkus-credentials", MilvusServerOptions.plaintext().authentication());
        System.setProperty(URI_PROPERTY, server.uri());
        createUser("quarkusfirst"); // before the application connects as this user
        return server;
    }

    private static void stopServer() {
        System.clearProperty(URI_PROPERTY);
        SERVER.close();
    }

    @Test
    void newCallsSendTheSecondUsersCredentialsOnceTheProviderAnswersThem() {
        client.listCollections();
        withRoot(root ->
                root.dropUser(DropUserReq.builder().userName("quarkusfirst").build()));
        Await.until(() -> !succeeds(client), BOUND, "the server refusing the dropped first user");

        createUser("quarkussecond");
        SwitchableCredentials.user = "quarkussecond";
        Await.until(() -> succeeds(client), BOUND, "a call with the second user's credentials");
        assertThat(client.listCollections().getCollectionNames()).isNotNull();
    }

    private static boolean succeeds(MilvusClientV2 client) {
        try {
            client.listCollections();
            return true;
        } catch (RuntimeException refused) {
            return false;
        }
    }

    private static String password(String user) {
        return "Pw-" + user + "-42";
    }

    private static void createUser(String user) {
        withRoot(root -> {
            root.createUser(CreateUserReq.builder()
                    .userName(user)
                    .password(password(user))
                    .build());
            root.grantRole(
                    GrantRoleReq.builder().userName(user).roleName("admin").build());
        });
    }

    private static void withRoot(Consumer<MilvusClientV2> work) {
        MilvusClientV2 root = new MilvusClientV2(ConnectConfig.builder()
                .uri(System.getProperty(URI_PROPERTY))
                .token(MilvusServerOptions.ROOT_USER + ":" + MilvusServerOptions.ROOT_PASSWORD)
                .build());
        try {
            work.accept(root);
        } finally {
            try {
                root.close(5);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
