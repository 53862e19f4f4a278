package io.github.milvuscdi.internal.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.milvuscdi.MilvusConfigurationException;
import io.github.milvuscdi.MilvusConnections;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The values people really write (generated passwords, docker-compose names, copied uris), one test each. */
class HostileConfigurationTest {

    private final ConnectionSettingsReader reader = new ConnectionSettingsReader(name -> null);

    private ConnectionSettings read(String... keyValues) {
        return reader.read("a", keys(keyValues));
    }

    private String problem(String... keyValues) {
        try {
            reader.read("a", keys(keyValues));
        } catch (MilvusConfigurationException expected) {
            return expected.getMessage();
        }
        throw new AssertionError("expected a configuration problem");
    }

    private static Map<String, String> keys(String... keyValues) {
        Map<String, String> keys = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            keys.put(keyValues[i], keyValues[i + 1]);
        }
        return keys;
    }

    @Test
    void aGeneratedPasswordWithASlashInTheUriIsReadAndNeverQuoted() {
        ConnectionSettings settings = read("uri", "http://root:ab/cd@milvus:19530");
        assertThat(settings.address()).isEqualTo("milvus:19530");
        assertThat(settings.user()).isEqualTo("root");
        assertThat(settings.authorization()).isEqualTo("root:ab/cd");
        assertThat(settings.databaseName()).isNull();

        assertThat(problem("uri", "http://root:ab/cd@milvus:99999"))
                .isEqualTo("Invalid Milvus configuration: "
                        + "alias 'a': milvus.connections.a.uri='http://<credentials>@milvus:99999' has a port that is not a "
                        + "number from 1 to 65535")
                .doesNotContain("ab/cd")
                .doesNotContain("root");
    }

    @Test
    void aTokenWrittenAsUserinfoIsTheTokenAndNeverQuoted() {
        ConnectionSettings settings = read("uri", "https://TOKEN-1234@in01.example.com");
        assertThat(settings.authorization()).isEqualTo("TOKEN-1234");
        assertThat(settings.user()).isNull();
        assertThat(settings.address()).isEqualTo("in01.example.com:443");
        assertThat(problem("uri", "https://TOKEN-1234@in01.example.com:0"))
                .contains("'https://<credentials>@" + "in01.example.com:0'")
                .doesNotContain("TOKEN");
    }

    @Test
    void userinfoWithoutAScehemeIsNotTakenForAHostAndPort() {
        assertThat(problem("uri", "root:1234/x@host"))
                .isEqualTo("Invalid Milvus configuration: alias 'a': "
                        + "milvus.connections.a.uri='<credentials>@host' has no scheme; expected http://host[:port][/db] or "
                        + "https://host[:port][/db], e.g. http://localhost:19530");
    }

    @Test
    void aPercentNotFollowedByTwoHexDigitsNamesTheKey() {
        assertThat(problem("uri", "http://root:50%off@milvus:19530"))
                .isEqualTo("Invalid Milvus configuration: "
                        + "alias 'a': milvus.connections.a.uri='http://<credentials>@milvus:19530' has a '%' in its "
                        + "credentials that is not followed by two hexadecimal digits; write a literal '%' as %25");
        assertThat(problem("uri", "http://milvus:19530/%zz"))
                .contains("milvus.connections.a.uri=")
                .contains("has a '%' in its database");
    }

    @Test
    void anUnusableAliasNeverMakesGetConnectionAddrThrow() {
        MilvusConnections connections = MilvusConnections.fromConfig(new SmallRyeConfigBuilder()
                .withSources(
                        new PropertiesConfigSource(Map.of("milvus.connections.bad.uri", "http://h:1/%zz"), "test", 100))
                .build());
        try {
            assertThat(connections.getConnectionAddr("bad")).isEmpty();
            assertThat(connections.listConnections()).containsKey("default");
        } finally {
            connections.close();
        }
    }

    @Test
    void durationsThatCannotBeUsedAsWrittenAreProblemsNotExceptionsLater() {
        assertThat(problem("host", "h", "connect-timeout", "9999999999999999h"))
                .contains("milvus.connections.a.connect-timeout='9999999999999999h' is not a positive duration");
        assertThat(problem("host", "h", "connect-timeout", "PT99999999H"))
                .contains(
                        "milvus.connections.a.connect-timeout='PT99999999H' is longer than 24 hours; expected at most 24h");
        assertThat(problem("host", "h", "rpc-deadline", "PT0.0001S"))
                .contains("milvus.connections.a.rpc-deadline='PT0.0001S' is not a whole number of milliseconds");
        assertThat(problem("host", "h", "keep-alive-time", "0"))
                .contains("milvus.connections.a.keep-alive-time='0' is not a positive duration");
        assertThat(read("host", "h", "rpc-deadline", "0").rpcDeadline()).isZero();
        assertThat(read("host", "h", "connect-timeout", "24h").connectTimeout()).isEqualTo(Duration.ofHours(24));
    }

    @Test
    void aHugeReadinessTimeoutIsAProblemOfTheKey() {
        MilvusConfiguration configuration = MilvusConfiguration.read(
                new SmallRyeConfigBuilder()
                        .withSources(
                                new PropertiesConfigSource(Map.of("milvus.health.timeout", "99999999h"), "test", 100))
                        .build(),
                Set.of(),
                reader);
        assertThat(configuration.problems())
                .containsExactly(
                        "milvus.health.timeout='99999999h' is longer than 24 " + "hours; expected at most 24h");
        assertThat(configuration.healthTimeout()).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void dockerComposeServiceNamesWithAnUnderscoreAreHosts() {
        assertThat(read("uri", "http://milvus_standalone:19530").host()).isEqualTo("milvus_standalone");
        assertThat(read("address", "milvus_standalone:19530").address()).isEqualTo("milvus_standalone:19530");
        assertThat(read("host", "milvus_standalone").address()).isEqualTo("milvus_standalone:19530");
        assertThat(problem("host", "milvus standalone"))
                .contains("milvus.connections.a.host='milvus standalone' " + "is not a host name or IP address");
    }

    @Test
    void anIpv6ZoneIsDecoded() {
        ConnectionSettings settings = read("uri", "http://[fe80::1%25eth0]:19530");
        assertThat(settings.host()).isEqualTo("fe80::1%eth0");
        assertThat(settings.address()).isEqualTo("[fe80::1%eth0]:19530");
        assertThat(read("address", "[fe80::1%25eth0]:19531").address()).isEqualTo("[fe80::1%eth0]:19531");
    }

    @Test
    void aServerNameMustBeAHostName() {
        assertThat(read("uri", "https://10.0.0.7", "server-name", "milvus.internal")
                        .serverName())
                .isEqualTo("milvus.internal");
        assertThat(problem("uri", "https://10.0.0.7", "server-name", "milvus internal/x"))
                .contains("milvus.connections.a.server-name='milvus internal/x' is not a host name");
    }

    @Test
    void aDatabaseMustBeAMilvusDatabaseName() {
        assertThat(read("uri", "http://h:1/notes_2024").databaseName()).isEqualTo("notes_2024");
        assertThat(problem("host", "h", "db-name", "notes-2024"))
                .contains("milvus.connections.a.db-name='notes-2024' is not a Milvus database name");
    }
}
