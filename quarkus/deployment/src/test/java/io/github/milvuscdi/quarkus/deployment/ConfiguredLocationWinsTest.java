package io.github.milvuscdi.quarkus.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.milvuscdi.MilvusConnection;
import io.github.milvuscdi.MilvusConnections;
import io.milvus.v2.client.MilvusClientV2;
import io.quarkus.test.QuarkusUnitTest;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.util.stream.StreamSupport;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Aliases with a location (uri, address, or host and port) get no Dev Service: the configuration wins. */
class ConfiguredLocationWinsTest {

    @RegisterExtension
    static final QuarkusUnitTest APP = new QuarkusUnitTest()
            .withEmptyApplication()
            .overrideConfigKey("milvus.connections.default.uri", "http://127.0.0.1:1")
            .overrideConfigKey("milvus.connections.search.address", "127.0.0.1:2")
            .overrideConfigKey("milvus.connections.archive.host", "127.0.0.1")
            .overrideConfigKey("milvus.connections.archive.port", "3")
            .setLogRecordPredicate(record -> record.getLoggerName().startsWith("io.github.milvuscdi.quarkus"))
            .assertLogRecords(records ->
                    assertThat(records).noneMatch(record -> record.getMessage().contains("Milvus Dev Service")));

    @Inject
    Instance<MilvusClientV2> notes;

    @Inject
    @MilvusConnection("search")
    Instance<MilvusClientV2> search;

    @Inject
    @MilvusConnection("archive")
    Instance<MilvusClientV2> archive;

    @Inject
    MilvusConnections connections;

    @Test
    void eachAliasConnectsWhereItsConfigurationSaysAndNoServerIsStarted() {
        assertThat(connections.getConnectionAddr("default")).containsEntry("address", "127.0.0.1:1");
        assertThat(connections.getConnectionAddr("search")).containsEntry("address", "127.0.0.1:2");
        assertThat(connections.getConnectionAddr("archive")).containsEntry("address", "127.0.0.1:3");
        assertThat(StreamSupport.stream(
                        ConfigProvider.getConfig().getPropertyNames().spliterator(), false))
                .noneMatch(name -> name.startsWith("milvus-devservices."));
    }
}
