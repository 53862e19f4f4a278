package io.github.milvuscdi.quarkus.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.milvuscdi.MilvusConnection;
import io.github.milvuscdi.testing.VectorRoundTrip;
import io.milvus.v2.client.MilvusClientV2;
import io.quarkus.test.QuarkusUnitTest;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** No Milvus configuration at all: each injected alias gets its own milvus-lite, and its client works. */
class ZeroConfigurationDevServiceTest {

    @RegisterExtension
    static final QuarkusUnitTest APP = new QuarkusUnitTest()
            .withEmptyApplication();

    @Inject
    MilvusClientV2 notes;

    @Inject
    @MilvusConnection("search")
    MilvusClientV2 search;

    @ConfigProperty(name = "milvus.connections.default.uri")
    String defaultUri;

    @ConfigProperty(name = "milvus.connections.search.uri")
    String searchUri;

    @Test
    void injectedClientsWorkAgainstTheirOwnDevServices() {
        assertThat(defaultUri).startsWith("http://127.0.0.1:");
        assertThat(searchUri).startsWith("http://127.0.0.1:").isNotEqualTo(defaultUri);

        VectorRoundTrip.createAndFill(search, "found");
        assertThat(VectorRoundTrip.nearest(search, "found", 3)).isEqualTo(3);
        // the default alias's server is another one: the collection is not there
        assertThat(VectorRoundTrip.exists(notes, "found")).isFalse();
        assertThat(VectorRoundTrip.exists(search, "found")).isTrue();
    }
}
