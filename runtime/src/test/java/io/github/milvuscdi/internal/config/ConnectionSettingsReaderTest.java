package io.github.milvuscdi.internal.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.milvuscdi.MilvusConfigurationException;
import io.github.milvuscdi.harness.LogCapture;
import io.github.milvuscdi.internal.client.ConnectConfigs;
import io.milvus.v2.client.ConnectConfig;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The connection model: every case of the foundation issue, asserting the result or the error text. */
class ConnectionSettingsReaderTest {

    private static final Map<String, String> NO_ENVIRONMENT = Map.of();

    private final ConnectionSettingsReader reader = new ConnectionSettingsReader(NO_ENVIRONMENT::get);

    private ConnectionSettings read(String alias, String... keyValues) {
        return reader.read(alias, keys(keyValues));
    }

    private static Map<String, String> keys(String... keyValues) {
        Map<String, String> keys = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            keys.put(keyValues[i], keyValues[i + 1]);
        }
        return keys;
    }

    private MilvusConfigurationException problem(String alias, String... keyValues) {
        try {
            reader.read(alias, keys(keyValues));
        } catch (MilvusConfigurationException expected) {
            return expected;
        }
        throw new AssertionError("expected a configuration problem for " + alias + " " + List.of(keyValues));
    }

    @Test
    void nothingConfiguredDefaultAliasIsLocalhostPlaintext() {
        ConnectionSettings settings = read("default");
        assertThat(settings.address()).isEqualTo("localhost:19530");
        assertThat(settings.secure()).isFalse();
        assertThat(settings.hasCredentials()).isFalse();
        assertThat(settings.databaseName()).isNull();
        assertThat(settings.connectTimeout()).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void anotherAliasWithNothingConfiguredNamesTheKeysToSet() {
        assertThat(problem("search").getMessage())
                .isEqualTo("Invalid Milvus configuration: alias 'search': "
                        + "no location is configured; set milvus.connections.search.uri (e.g. http://localhost:19530), "
                        + "or milvus.connections.search.address (host:port), or milvus.connections.search.host and "
                        + "milvus.connections.search.port");
    }

    @Test
    void hostAloneUsesDefaultPortAndPortAloneUsesLocalhost() {
        assertThat(read("a", "host", "h1").address()).isEqualTo("h1:19530");
        assertThat(read("a", "port", "19531").address()).isEqualTo("localhost:19531");
    }

    @Test
    void addressWinsOverUriAndHostPortAndTheLosersAreLogged() {
        try (LogCapture log = LogCapture.ours()) {
            ConnectionSettings settings =
                    read("a", "address", "h:1", "uri", "https://other:2/db", "host", "x", "port", "3");
            assertThat(settings.address()).isEqualTo("h:1");
            assertThat(settings.secure()).isFalse();
            assertThat(settings.databaseName()).isNull();
            assertThat(log.text())
                    .contains("alias 'a': milvus.connections.a.uri, milvus.connections.a.host, "
                            + "milvus.connections.a.port are ignored because milvus.connections.a.address is set");
        }
    }

    @Test
    void uriWinsOverHostPortAndTheLosersAreLogged() {
        try (LogCapture log = LogCapture.ours()) {
            assertThat(read("a", "uri", "http://u:9", "host", "x").address()).isEqualTo("u:9");
            assertThat(log.text())
                    .contains("milvus.connections.a.host is ignored because milvus.connections.a.uri is set");
        }
    }

    @Test
    void uriSchemesAndDefaultPorts() {
        ConnectionSettings httpsWithPort = read("a", "uri", "https://x:2");
        assertThat(httpsWithPort.address()).isEqualTo("x:2");
        assertThat(httpsWithPort.secure()).isTrue();
        ConnectionSettings https = read("a", "uri", "https://x");
        assertThat(https.address()).isEqualTo("x:443");
        assertThat(https.secure()).isTrue();
        ConnectionSettings http = read("a", "uri", "http://x");
        assertThat(http.address()).isEqualTo("x:19530");
        assertThat(http.secure()).isFalse();
        assertThat(read("a", "uri", "grpc://x:5").address()).isEqualTo("x:5");
        assertThat(read("a", "uri", "tcp://x").address()).isEqualTo("x:19530");
        assertThat(read("a", "uri", "http://[::1]:7").address()).isEqualTo("[::1]:7");
    }

    @Test
    void secureTurnsTlsOnForAnHttpUri() {
        ConnectionSettings settings = read("a", "uri", "http://x", "secure", "true");
        assertThat(settings.secure()).isTrue();
        assertThat(settings.address()).isEqualTo("x:19530");
        ConnectConfig config = ConnectConfigs.connectConfig(settings).build();
        assertThat(config.isSecure()).isTrue();
        assertThat(config.getUri()).isEqualTo("https://x:19530");
        assertThat(config.getServerName())
                .as("TLS authority defaults to the host")
                .isEqualTo("x");
    }

    @Test
    void credentialsInTheUriWinOverUserAndPassword() {
        ConnectionSettings settings =
                read("a", "uri", "http://u:uri-secret@x:1", "user", "U", "password", "config-secret");
        assertThat(settings.user()).isEqualTo("u");
        assertThat(ConnectConfigs.connectConfig(settings).build().getToken()).isEqualTo("u:uri-secret");
        assertThat(settings.toString()).doesNotContain("secret");
    }

    @Test
    void databaseFromUriPathUnlessDbNameIsSet() {
        assertThat(read("a", "uri", "http://x:1/mydb").databaseName()).isEqualTo("mydb");
        assertThat(read("a", "uri", "http://x:1/mydb/coll").databaseName()).isEqualTo("mydb");
        assertThat(read("a", "uri", "http://x:1/").databaseName()).isNull();
        ConnectionSettings other = read("a", "uri", "http://x:1/mydb", "db-name", "other");
        assertThat(other.databaseName()).isEqualTo("other");
        ConnectConfig config = ConnectConfigs.connectConfig(other).build();
        assertThat(config.getDbName())
                .as("the uri given to the SDK carries no path that would win")
                .isEqualTo("other");
    }

    @Test
    void noDatabaseMeansNoDbNameReachesTheSdk() {
        assertThat(ConnectConfigs.connectConfig(read("a", "uri", "http://x:1/", "db-name", ""))
                        .build()
                        .getDbName())
                .isNull();
    }

    @Test
    void uriWithoutSchemeOrHostOrWithAnotherSchemeNamesTheKeyAndTheForm() {
        assertThat(problem("a", "uri", "localhost:19530").getMessage())
                .isEqualTo("Invalid Milvus configuration: "
                        + "alias 'a': milvus.connections.a.uri='localhost:19530' has no scheme; expected "
                        + "http://host[:port][/db] or https://host[:port][/db], e.g. http://localhost:19530");
        assertThat(problem("a", "uri", "http://").getMessage())
                .isEqualTo("Invalid Milvus configuration: "
                        + "alias 'a': milvus.connections.a.uri='http://' has no host; expected "
                        + "http://host[:port][/db] or https://host[:port][/db], e.g. http://localhost:19530");
        assertThat(problem("a", "uri", "ftp://h").getMessage())
                .isEqualTo("Invalid Milvus configuration: "
                        + "alias 'a': milvus.connections.a.uri='ftp://h' has scheme 'ftp', which is not supported; expected "
                        + "http://host[:port][/db] or https://host[:port][/db], e.g. http://localhost:19530 "
                        + "(grpc:// and tcp:// are read as http://)");
    }

    @Test
    void aBadUriNeverShowsItsPassword() {
        String message = problem("a", "uri", "ftp://u:s3cret@h").getMessage();
        assertThat(message)
                .contains("milvus.connections.a.uri='ftp://<credentials>@h'")
                .doesNotContain("s3cret");
    }

    @Test
    void portsOutsideOneTo65535AndAddressWithoutPortAreErrors() {
        for (String port : List.of("-1", "0", "65536", "abc")) {
            assertThat(problem("a", "port", port).getMessage())
                    .isEqualTo("Invalid Milvus configuration: alias 'a': " + "milvus.connections.a.port='" + port
                            + "' is not a port; expected a number from 1 to 65535");
        }
        assertThat(problem("a", "address", "localhost").getMessage())
                .isEqualTo("Invalid Milvus configuration: "
                        + "alias 'a': milvus.connections.a.address='localhost' is not host:port; expected e.g. "
                        + "localhost:19530 with a port from 1 to 65535 ([::1]:19530 for IPv6)");
        assertThat(problem("a", "uri", "http://h:70000").getMessage())
                .contains("milvus.connections.a.uri='http://h:70000' has a port that is not a number from 1 to 65535");
    }

    @Test
    void tokenWinsOverUserAndPassword() {
        ConnectionSettings settings = read("a", "uri", "http://x", "token", "tok-123", "user", "u", "password", "pw");
        assertThat(ConnectConfigs.connectConfig(settings).build().getToken()).isEqualTo("tok-123");
        assertThat(settings.toString())
                .doesNotContain("tok-123")
                .doesNotContain("pw")
                .contains("credentials=set");
    }

    @Test
    void userWithoutPasswordIsAnError() {
        assertThat(problem("a", "uri", "http://x", "user", "root").getMessage())
                .isEqualTo("Invalid Milvus configuration: alias 'a': milvus.connections.a.user='root' is set without a "
                        + "password; also set milvus.connections.a.password, or use milvus.connections.a.token");
        assertThat(problem("a", "uri", "http://x", "password", "pw").getMessage())
                .isEqualTo(
                        "Invalid Milvus configuration: alias 'a': milvus.connections.a.password is set without a user; "
                                + "also set milvus.connections.a.user, or use milvus.connections.a.token");
    }

    @Test
    void userAndPasswordBecomeTheSdkToken() {
        ConnectionSettings settings = read("a", "uri", "http://x", "user", "root", "password", "Milvus");
        assertThat(ConnectConfigs.connectConfig(settings).build().getToken()).isEqualTo("root:Milvus");
        assertThat(settings.user()).isEqualTo("root");
    }

    @Test
    void defaultAliasFallsBackToMilvusUriEnvironmentVariable() {
        Map<String, String> environment = Map.of("MILVUS_URI", "http://u:p@envhost:1234/envdb");
        ConnectionSettingsReader withEnvironment = new ConnectionSettingsReader(environment::get);
        ConnectionSettings settings = withEnvironment.read("default", Map.of());
        assertThat(settings.address()).isEqualTo("envhost:1234");
        assertThat(settings.databaseName()).isEqualTo("envdb");
        assertThat(settings.user()).isEqualTo("u");
        assertThat(ConnectConfigs.connectConfig(settings).build().getToken()).isEqualTo("u:p");

        assertThat(withEnvironment.read("default", Map.of("host", "cfg")).address())
                .isEqualTo("cfg:19530");
        assertThatThrownBy(() -> withEnvironment.read("other", Map.of()))
                .hasMessageContaining("set milvus.connections.other.uri");
    }

    @Test
    void aBadMilvusUriNamesTheEnvironmentVariable() {
        Map<String, String> environment = Map.of("MILVUS_URI", "envhost:1234");
        assertThatThrownBy(() -> new ConnectionSettingsReader(environment::get).read("default", Map.of()))
                .hasMessage("Invalid Milvus configuration: alias 'default': environment variable MILVUS_URI "
                        + "'envhost:1234' has no scheme; expected http://host[:port][/db] or https://host[:port][/db],"
                        + " e.g. http://localhost:19530");
    }

    @Test
    void durationsAndBooleans() {
        assertThat(read("a", "host", "h", "connect-timeout", "5").connectTimeout())
                .isEqualTo(Duration.ofSeconds(5));
        assertThat(read("a", "host", "h", "connect-timeout", "500ms").connectTimeout())
                .isEqualTo(Duration.ofMillis(500));
        assertThat(read("a", "host", "h", "connect-timeout", "PT2S").connectTimeout())
                .isEqualTo(Duration.ofSeconds(2));
        assertThat(ConnectConfigs.connectConfig(read("a", "host", "h", "connect-timeout", "2m"))
                        .build()
                        .getConnectTimeoutMs())
                .isEqualTo(120_000);
        assertThat(ConnectConfigs.connectConfig(read("a", "host", "h", "rpc-deadline", "3s", "keep-alive-time", "1h"))
                        .build()
                        .getRpcDeadlineMs())
                .isEqualTo(3000);
        String expected = "expected an ISO-8601 duration (PT10S) or a number with ms, s, m or h (500ms, 10s); "
                + "a bare number is seconds";
        assertThat(problem("a", "host", "h", "connect-timeout", "abc").getMessage())
                .isEqualTo(
                        "Invalid Milvus configuration: alias 'a': milvus.connections.a.connect-timeout='abc' is not a "
                                + "positive duration; " + expected);
        assertThat(problem("a", "host", "h", "connect-timeout", "-1s").getMessage())
                .contains("milvus.connections.a.connect-timeout='-1s' is not a positive duration");
        assertThat(problem("a", "host", "h", "idle-timeout", "-PT1S").getMessage())
                .contains("milvus.connections.a.idle-timeout='-PT1S' is not a positive duration");
        assertThat(problem("a", "host", "h", "secure", "yes").getMessage())
                .isEqualTo(
                        "Invalid Milvus configuration: alias 'a': milvus.connections.a.secure='yes' is not a boolean; "
                                + "expected true or false");
    }

    @Test
    void partialMutualTlsAndMissingFilesNameTheKey(@TempDir Path dir) throws Exception {
        Path pem = Files.writeString(dir.resolve("client.pem"), "x");
        assertThat(problem("a", "uri", "https://h", "client-pem-path", pem.toString())
                        .getMessage())
                .isEqualTo(
                        "Invalid Milvus configuration: alias 'a': mutual TLS needs milvus.connections.a.client-pem-path, "
                                + "milvus.connections.a.client-key-path and milvus.connections.a.ca-pem-path together; "
                                + "set milvus.connections.a.client-key-path and milvus.connections.a.ca-pem-path");
        String missing = dir.resolve("nope.pem").toString();
        assertThat(problem("a", "uri", "https://h", "server-pem-path", missing).getMessage())
                .isEqualTo("Invalid Milvus configuration: alias 'a': milvus.connections.a.server-pem-path='" + missing
                        + "' does not exist or cannot be read; expected the path of a readable PEM file");
        assertThat(problem("a", "uri", "https://h", "ca-pem-path", dir.toString())
                        .getMessage())
                .contains("milvus.connections.a.ca-pem-path='" + dir + "' does not exist or cannot be read");
    }

    @Test
    void certificatePathsTurnTlsOnAndReachTheSdkWithAServerName(@TempDir Path dir) throws Exception {
        Path pem = Files.writeString(dir.resolve("server.pem"), "x");
        ConnectionSettings settings = read("a", "uri", "http://h:1", "server-pem-path", pem.toString());
        assertThat(settings.secure()).isTrue();
        ConnectConfig config = ConnectConfigs.connectConfig(settings).build();
        assertThat(config.getServerPemPath()).isEqualTo(pem.toString());
        assertThat(config.getServerName()).isEqualTo("h");
        assertThat(ConnectConfigs.connectConfig(read("a", "uri", "https://h:1", "server-name", "milvus.internal"))
                        .build()
                        .getServerName())
                .isEqualTo("milvus.internal");
        assertThat(problem("a", "uri", "http://h", "secure", "false", "server-pem-path", pem.toString())
                        .getMessage())
                .contains("milvus.connections.a.secure='false' turns TLS off, but certificate paths are set");
    }

    /**
     * The SDK 2.6.22 ignores a CA PEM without a client certificate, and a server PEM silently wins
     * over a client certificate: the configuration is mapped so that each key does what it says.
     * Proven against a real TLS server in the extension's TlsAndCredentialsTest.
     */
    @Test
    void aCaAloneIsTrustedAndMutualTlsIsNotShadowedByAServerPem(@TempDir Path dir) throws Exception {
        String ca = Files.writeString(dir.resolve("ca.pem"), "x").toString();
        String server = Files.writeString(dir.resolve("server.pem"), "x").toString();
        String client = Files.writeString(dir.resolve("client.pem"), "x").toString();
        String key = Files.writeString(dir.resolve("client.key"), "x").toString();

        ConnectConfig caOnly = ConnectConfigs.connectConfig(read("a", "uri", "https://h:1", "ca-pem-path", ca))
                .build();
        assertThat(caOnly.getServerPemPath()).as("what one-way TLS trusts").isEqualTo(ca);

        ConnectionSettings mutual = read(
                "a",
                "uri",
                "https://h:1",
                "ca-pem-path",
                ca,
                "client-pem-path",
                client,
                "client-key-path",
                key,
                "server-pem-path",
                server);
        assertThat(mutual.mutualTls()).isTrue();
        ConnectConfig config = ConnectConfigs.connectConfig(mutual).build();
        assertThat(config.getServerPemPath()).isNull();
        assertThat(config.getCaPemPath()).isEqualTo(ca);
        assertThat(config.getClientPemPath()).isEqualTo(client);
        assertThat(config.getClientKeyPath()).isEqualTo(key);
        assertThat(config.getServerName()).isEqualTo("h");
    }

    @Test
    void unknownKeysAreReportedWithTheNearestAndTheAcceptedOnes() {
        assertThat(problem("a", "urii", "http://x", "host", "h").getMessage())
                .startsWith(
                        "Invalid Milvus configuration: alias 'a': milvus.connections.a.urii is not a known key; "
                                + "did you mean milvus.connections.a.uri? "
                                + "accepted keys: uri, address, host, port, user, password, token, token-file, password-file, user-file, credentials-provider, db-name, secure,");
        assertThat(problem("a", "conect-timout", "5s", "host", "h").getMessage())
                .contains("milvus.connections.a.conect-timout is not a known key; "
                        + "did you mean milvus.connections.a.connect-timeout? accepted keys: ");
        assertThat(problem("a", "sever-name", "h", "host", "h").getMessage())
                .contains("did you mean milvus.connections.a.server-name? ");
    }

    @Test
    void anUnknownKeyFarFromEveryKnownOneGetsNoGuess() {
        assertThat(problem("a", "timeout", "5s", "host", "h").getMessage())
                .contains("milvus.connections.a.timeout is not a known key; accepted keys: ")
                .doesNotContain("did you mean");
        assertThat(problem("a", "ur", "http://x", "host", "h").getMessage()).doesNotContain("did you mean");
    }

    @Test
    void everyProblemOfEveryAliasInOneFailureWithoutSecrets() {
        SmallRyeConfig config = config(Map.of(
                "milvus.connections.a.port", "abc",
                "milvus.connections.a.password", "pa55word",
                "milvus.connections.a.token", "t0ken",
                "milvus.connections.b.uri", "localhost:19530",
                "milvus.connections.b.connect-timeout", "soon",
                "milvus.connections.b.password", "pa55word"));
        MilvusConfigurationException failure = new MilvusConfigurationException(
                MilvusConfiguration.read(config, Set.of(), reader).problems());
        assertThat(failure.problems())
                .containsExactly(
                        "alias 'a': milvus.connections.a.port='abc' is not a port; expected a number from 1 to 65535",
                        "alias 'b': milvus.connections.b.uri='localhost:19530' has no scheme; expected "
                                + "http://host[:port][/db] or https://host[:port][/db], e.g. http://localhost:19530",
                        "alias 'b': milvus.connections.b.password is set without a user; also set "
                                + "milvus.connections.b.user, or use milvus.connections.b.token",
                        "alias 'b': milvus.connections.b.connect-timeout='soon' is not a positive duration; "
                                + "expected an ISO-8601 duration (PT10S) or a number with ms, s, m or h (500ms, "
                                + "10s); a bare number is seconds");
        assertThat(failure.getMessage())
                .startsWith("Invalid Milvus configuration, 4 problems:")
                .doesNotContain("pa55word")
                .doesNotContain("t0ken");
    }

    @Test
    void aliasesComeFromPropertyNames() {
        assertThat(AliasDiscovery.configuredAliases(List.of(
                        "milvus.connections.search.uri",
                        "milvus.connections.archive.health.enabled",
                        "milvus.connections.x",
                        "milvus.health.timeout",
                        "other.key")))
                .containsExactly("archive", "search");
    }

    @Test
    void environmentVariablesOverrideKeysThroughMicroProfileConfig() {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withSources(new PropertiesConfigSource(
                        Map.of("milvus.connections.search.uri", "http://file:1"), "test", 100))
                .withSources(new io.smallrye.config.EnvConfigSource(
                        Map.of("MILVUS_CONNECTIONS_SEARCH_URI", "http://env:2"), 300))
                .build();
        assertThat(MilvusConfiguration.read(config, Set.of("search"), reader)
                        .settings("search")
                        .orElseThrow()
                        .address())
                .isEqualTo("env:2");
    }

    static SmallRyeConfig config(Map<String, String> properties) {
        return new SmallRyeConfigBuilder()
                .withSources(new PropertiesConfigSource(properties, "test", 100))
                .build();
    }
}
