package io.github.milvuscdi.quarkus.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.milvuscdi.MilvusConnection;
import io.github.milvuscdi.quarkus.runtime.devui.MilvusDevUIService;
import io.github.milvuscdi.testing.Await;
import io.github.milvuscdi.testing.TestSecrets;
import io.github.milvuscdi.testing.VectorRoundTrip;
import io.milvus.v2.client.MilvusClientV2;
import io.quarkus.test.QuarkusUnitTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * No Milvus location at all: each injected alias gets its own milvus-lite, and its client works. Alias
 * {@code search} lists collections for readiness and carries credentials (its milvus-lite ignores them):
 * the Dev UI card shows the collections' load state and never a secret.
 */
class ZeroConfigurationDevServiceTest {

    private static final TestSecrets SECRETS = TestSecrets.generate();

    @RegisterExtension
    static final QuarkusUnitTest APP = new QuarkusUnitTest()
            .withEmptyApplication()
            .overrideConfigKey("milvus.connections.search.health.collections", "shown, absent")
            .overrideConfigKey("milvus.connections.search.user", "root")
            .overrideConfigKey("milvus.connections.search.password", SECRETS.password());

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
    void theDevUiCardListsEachAliasWithItsServerReadinessAndCollections() {
        VectorRoundTrip.createAndFill(search, "shown");
        List<Map<String, String>> rows = Await.until(
                () -> new MilvusDevUIService().getAliases(),
                card -> card.size() == 2 && card.get(1).get("collections").startsWith("shown loaded"),
                Duration.ofSeconds(60));
        String searchAddress = searchUri.substring("http://".length());
        assertThat(rows).extracting(row -> row.get("alias")).containsExactly("default", "search");
        assertThat(rows.get(1))
                .containsEntry("address", searchAddress)
                .containsEntry("devService", "milvus-lite " + searchUri)
                .containsEntry("collections", "shown loaded, absent does not exist");
        assertThat(rows.get(1).get("readiness"))
                .startsWith("DOWN " + searchAddress + " ")
                .endsWith(" reason=collections not ready: absent does not exist");
        assertThat(rows.get(0).get("address")).isEqualTo(defaultUri.substring("http://".length()));
        assertThat(rows.get(0)).containsEntry("collections", "-");
        SECRETS.assertNoneIn("the Dev UI card's rows", String.valueOf(rows));
    }
}
