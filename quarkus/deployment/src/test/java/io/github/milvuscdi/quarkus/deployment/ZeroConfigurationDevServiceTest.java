package io.github.milvuscdi.quarkus.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.milvuscdi.MilvusConnection;
import io.github.milvuscdi.quarkus.runtime.devui.MilvusDevUIService;
import io.github.milvuscdi.testing.VectorRoundTrip;
import io.milvus.v2.client.MilvusClientV2;
import io.quarkus.test.QuarkusUnitTest;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** No Milvus configuration at all: each injected alias gets its own milvus-lite, and its client works. */
class ZeroConfigurationDevServiceTest {

    @RegisterExtension
    static final QuarkusUnitTest APP = new QuarkusUnitTest().withEmptyApplication();

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

    @Test
    void theDevUiCardListsEachAliasWithItsServerAndReadiness() {
        List<Map<String, String>> rows = new MilvusDevUIService().getAliases();
        String searchAddress = searchUri.substring("http://".length());
        assertThat(rows).extracting(row -> row.get("alias")).containsExactly("default", "search");
        assertThat(rows.get(1))
                .containsEntry("address", searchAddress)
                .containsEntry("devService", "milvus-lite " + searchUri);
        assertThat(rows.get(1).get("readiness")).startsWith("UP " + searchAddress + " ");
        assertThat(rows.get(0).get("address")).isEqualTo(defaultUri.substring("http://".length()));
    }
}
