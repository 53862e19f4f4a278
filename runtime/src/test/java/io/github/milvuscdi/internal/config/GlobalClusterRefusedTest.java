package io.github.milvuscdi.internal.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.milvuscdi.MilvusConfigurationException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A Zilliz Cloud global-cluster endpoint is refused at configuration, whichever key carries it: the SDK
 * would fetch its topology outside connect-timeout and swap the connection on failover without the wait
 * bound and tracing. The message names the alias and the key, quotes the value without credentials, and
 * says what to use instead.
 */
class GlobalClusterRefusedTest {

    private final ConnectionSettingsReader reader = new ConnectionSettingsReader(name -> null);

    private String problem(String key, String value) {
        try {
            reader.read("zc", Map.of(key, value));
        } catch (MilvusConfigurationException expected) {
            return expected.getMessage();
        }
        throw new AssertionError("expected " + key + "=" + value + " to be refused");
    }

    @Test
    void aGlobalClusterUriIsRefusedWithoutQuotingItsCredentials() {
        assertThat(problem("uri", "https://root:S3cret@in01-abc.Global-Cluster.vectordb.zillizcloud.com:443"))
                .isEqualTo("Invalid Milvus configuration: alias 'zc': milvus.connections.zc.uri='https://<credentials>"
                        + "@in01-abc.Global-Cluster.vectordb.zillizcloud.com:443' has a host that "
                        + HostNames.GLOBAL_CLUSTER_REFUSED)
                .contains("does not support yet", "use the endpoint of one cluster")
                .doesNotContain("S3cret");
    }

    @Test
    void aGlobalClusterAddressOrHostIsRefused() {
        assertThat(problem("address", "in01-abc.global-cluster.example.com:19530"))
                .startsWith("Invalid Milvus configuration: alias 'zc': "
                        + "milvus.connections.zc.address='in01-abc.global-cluster.example.com:19530' has a host that is a"
                        + " Zilliz Cloud global-cluster endpoint");
        assertThat(problem("host", "in01-abc.global-cluster.example.com"))
                .isEqualTo("Invalid Milvus configuration: alias 'zc': "
                        + "milvus.connections.zc.host='in01-abc.global-cluster.example.com' "
                        + HostNames.GLOBAL_CLUSTER_REFUSED);
    }

    @Test
    void aServerNameHoldingTheMarkerIsStillAccepted() {
        // only the uri the SDK is given switches it to a global cluster; a TLS name does not
        ConnectionSettings settings = reader.read(
                "zc", Map.of("uri", "https://db.example.com", "server-name", "a.global-cluster.example.com"));
        assertThat(settings.serverName()).isEqualTo("a.global-cluster.example.com");
    }
}
