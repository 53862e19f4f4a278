package io.github.milvuscdi.internal.cdi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.milvuscdi.MilvusConnection;
import io.github.milvuscdi.MilvusConnections;
import io.github.milvuscdi.internal.cdi.Containers.Path;
import io.github.milvuscdi.internal.client.ConnectionRegistry;
import io.github.milvuscdi.launcher.MilvusLiteOptions;
import io.github.milvuscdi.launcher.MilvusLiteServer;
import io.github.milvuscdi.testing.MilvusLiteExtension;
import io.milvus.v2.client.MilvusClientV2;
import io.milvus.v2.client.RetryConfig;
import io.milvus.v2.service.collection.request.CreateCollectionReq;
import io.milvus.v2.service.collection.request.HasCollectionReq;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jboss.weld.environment.se.WeldContainer;
import org.jboss.weld.proxy.WeldClientProxy;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * On the client the container shares, {@code withTimeout} and {@code withRetry} give the caller a
 * client of its own over the same connection, and leave every other bean's calls as configured;
 * {@code retryConfig}, {@code setBlockingStub} and closing a view are refused.
 */
@Timeout(120)
class SharedClientViewsTest {

    @RegisterExtension
    static final MilvusLiteExtension MILVUS = new MilvusLiteExtension("views");

    /** A bean in a hurry. */
    @Dependent
    static class Impatient {
        @Inject
        @MilvusConnection("search")
        MilvusClientV2 client;
    }

    /** A bean that relies on the alias's configuration. */
    @Dependent
    static class Patient {
        @Inject
        @MilvusConnection("search")
        MilvusClientV2 client;
    }

    @ParameterizedTest
    @EnumSource(Path.class)
    void oneBeansWithTimeoutLeavesAnotherBeansCallsAloneAndBoundsItsOwn(Path path) throws Exception {
        try (AutoCloseable c = Containers.useConfig(
                        Map.of("milvus.connections.search.uri", MILVUS.server().uri()));
                WeldContainer container = Containers.boot(path, Impatient.class, Patient.class)) {
            MilvusClientV2 impatient =
                    container.select(Impatient.class).get().client.withTimeout(1, TimeUnit.MILLISECONDS);
            MilvusClientV2 shared = container.select(Patient.class).get().client;

            String collection = "views_" + path.name().toLowerCase();
            shared.createCollection(CreateCollectionReq.builder()
                    .collectionName(collection)
                    .dimension(4)
                    .build());
            assertThat(shared.hasCollection(HasCollectionReq.builder()
                            .collectionName(collection)
                            .build()))
                    .isTrue();

            MilvusClientV2 expired = shared.withTimeout(1, TimeUnit.NANOSECONDS);
            assertThatThrownBy(expired::listCollections)
                    .as("a call of a view whose deadline passed before it started")
                    .hasMessageContaining("DEADLINE_EXCEEDED");
            assertThat(expired.withTimeout(30, TimeUnit.SECONDS)
                            .listCollections()
                            .getCollectionNames())
                    .as("a view of that view, with a deadline of its own")
                    .contains(collection);
            assertThat(shared.listCollections().getCollectionNames()).contains(collection);

            assertThatThrownBy(impatient::close)
                    .isInstanceOf(UnsupportedOperationException.class)
                    .hasMessageStartingWith("Milvus alias 'search': close() is refused");
            assertThatThrownBy(() -> impatient.useDatabase("default"))
                    .isInstanceOf(UnsupportedOperationException.class);
            assertThatThrownBy(() -> shared.retryConfig(RetryConfig.builder().build()))
                    .isInstanceOf(UnsupportedOperationException.class)
                    .hasMessage("Milvus alias 'search': retryConfig(...) is refused on the client the container "
                            + "shares with the whole application: it would replace the retry policy of every "
                            + "user. Instead set the retry keys of the alias (milvus.connections.search.retry."
                            + "max-attempts, retry.max-time, ...), or use withRetry(...), which returns a client "
                            + "of your own with that policy over the same connection.");
            assertThatThrownBy(() -> shared.setBlockingStub(null))
                    .isInstanceOf(UnsupportedOperationException.class)
                    .hasMessageStartingWith("Milvus alias 'search': setBlockingStub(...) is refused")
                    .hasMessageContaining("milvus.connections.search.rpc-deadline");
            assertThat(shared.listCollections().getCollectionNames())
                    .as("after every refusal")
                    .contains(collection);
            assertThat(impatient).isNotSameAs(shared);
        }
    }

    @ParameterizedTest
    @EnumSource(Path.class)
    void oneBeansWithRetryLeavesAnotherBeansRetryPolicyAlone(Path path) throws Exception {
        try (MilvusLiteServer server = MilvusLiteServer.start(
                "views-retry-" + path.name().toLowerCase(),
                MilvusLiteOptions.plaintext().rateLimited("ShowCollections", 2))) {
            try (AutoCloseable c = Containers.useConfig(Map.of(
                            "milvus.connections.search.uri",
                            server.uri(),
                            "milvus.connections.search.retry.initial-backoff",
                            "20ms"));
                    WeldContainer container = Containers.boot(path, Impatient.class, Patient.class)) {
                MilvusClientV2 strict = container
                        .select(Impatient.class)
                        .get()
                        .client
                        .withRetry(RetryConfig.builder().retryOnRateLimit(false).build());
                MilvusClientV2 shared = container.select(Patient.class).get().client;

                assertThatThrownBy(strict::listCollections)
                        .as("the view's own policy")
                        .hasMessageContaining("rate limit exceeded");
                assertThat(shared.listCollections().getCollectionNames())
                        .as("the alias's policy: the one limited call left is retried")
                        .isNotNull();
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Path.class)
    void theInjectedRegistryExposesOnlyItsInterfaceAndDestroyingAnInjectedClientClosesNothing(Path path)
            throws Exception {
        try (AutoCloseable c = Containers.useConfig(
                        Map.of("milvus.connections.search.uri", MILVUS.server().uri()));
                WeldContainer container = Containers.boot(path, Patient.class)) {
            Instance<MilvusClientV2> clients =
                    container.select(MilvusClientV2.class, MilvusConnection.Literal.of("search"));
            MilvusClientV2 client = clients.get();
            assertThat(client.listCollections().getCollectionNames()).isNotNull();
            try {
                clients.destroy(client);
            } catch (UnsupportedOperationException refusedByWeld) {
                // Weld may refuse to destroy a @Singleton; ArC runs its disposer (it-quarkus tests that)
            }
            MilvusClientV2 patient = container.select(Patient.class).get().client;
            assertThat(patient.listCollections().getCollectionNames())
                    .as("another bean's client after one destroyed its instance")
                    .isNotNull();
            assertThat(client.clientIsReady()).isTrue();

            MilvusConnections connections =
                    container.select(MilvusConnections.class).get();
            Object behindTheProxy =
                    ((WeldClientProxy) connections).getMetadata().getContextualInstance();
            assertThat(behindTheProxy).isNotInstanceOf(ConnectionRegistry.class);
            assertThat(Arrays.stream(behindTheProxy.getClass().getMethods()).map(Method::getName))
                    .doesNotContain("closeAll", "release");
        }
    }
}
