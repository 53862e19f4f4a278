package io.github.milvuscdi.it.quarkus;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.milvuscdi.MilvusConnection;
import io.milvus.v2.client.MilvusClientV2;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

/**
 * On Quarkus, {@code Instance.destroy(client)} runs the disposer of the client's {@code @Singleton}
 * bean (ArC does; Weld refuses): the client every bean shares stays open, and the next lookup hands
 * out the same one.
 */
@QuarkusTest
@WithTestResource(MilvusLiteResource.class)
class DestroyedClientTest {

    @Inject
    @MilvusConnection("archive")
    Instance<MilvusClientV2> clients;

    @Test
    void destroyingAnInjectedClientClosesNothingUnderTheOtherBeans() {
        MilvusClientV2 client = clients.get();
        assertThat(client.listCollections().getCollectionNames()).isNotNull();

        clients.destroy(client);

        assertThat(client.clientIsReady())
                .as("the destroyed instance, shared by every bean")
                .isTrue();
        assertThat(client.listCollections().getCollectionNames()).isNotNull();
        assertThat(clients.get()).as("the next lookup").isSameAs(client);
    }
}
