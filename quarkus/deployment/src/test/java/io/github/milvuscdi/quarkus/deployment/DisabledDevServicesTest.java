package io.github.milvuscdi.quarkus.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.milvuscdi.MilvusConnections;
import io.milvus.v2.client.MilvusClientV2;
import io.quarkus.test.QuarkusUnitTest;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.util.stream.StreamSupport;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code milvus.devservices.enabled=false}: no server; alias {@code default} keeps the library's fallback. */
class DisabledDevServicesTest {

    @RegisterExtension
    static final QuarkusUnitTest APP = new QuarkusUnitTest()
            .withEmptyApplication()
            .overrideConfigKey("milvus.devservices.enabled", "false")
            .setLogRecordPredicate(record -> record.getLoggerName().startsWith("io.github.milvuscdi.quarkus"))
            .assertLogRecords(records ->
                    assertThat(records).noneMatch(record -> record.getMessage().contains("Milvus Dev Service")));

    @Inject
    Instance<MilvusClientV2> notes;

    @Inject
    MilvusConnections connections;

    @Test
    void noServerIsStartedAndDefaultFallsBackToLocalhost() {
        assertThat(ConfigProvider.getConfig().getOptionalValue("milvus.connections.default.uri", String.class))
                .isEmpty();
        assertThat(StreamSupport.stream(
                        ConfigProvider.getConfig().getPropertyNames().spliterator(), false))
                .noneMatch(name -> name.startsWith("milvus-devservices."));
        assertThat(connections.getConnectionAddr("default")).containsEntry("address", "localhost:19530");
    }
}
