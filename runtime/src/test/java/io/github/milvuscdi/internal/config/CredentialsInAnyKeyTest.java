package io.github.milvuscdi.internal.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.milvuscdi.MilvusConfigurationException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Credentials written into a key that is not secret (a uri pasted into {@code address}, userinfo in
 * {@code host}, a password after the user) are never quoted by the configuration's messages: every
 * quoted value goes through the one redaction rule.
 */
class CredentialsInAnyKeyTest {

    private static final String SECRET = "S3cret";

    private final ConnectionSettingsReader reader = new ConnectionSettingsReader(name -> null);

    private String problem(Map<String, String> keys) {
        try {
            reader.read("a", keys);
        } catch (MilvusConfigurationException expected) {
            return expected.getMessage();
        }
        throw new AssertionError("expected a configuration problem");
    }

    @Test
    void aUriPastedIntoAddressIsRefusedWithoutItsCredentials() {
        assertThat(problem(Map.of("address", "https://root:S3cret@db:443")))
                .isEqualTo("Invalid Milvus configuration: alias 'a': milvus.connections.a.address="
                        + "'https://<credentials>@db:443' is not host:port; expected e.g. localhost:19530 with a "
                        + "port from 1 to 65535 ([::1]:19530 for IPv6)");
    }

    @Test
    void userinfoInHostIsRefusedWithoutItsCredentials() {
        assertThat(problem(Map.of("host", "root:S3cret@db")))
                .startsWith("Invalid Milvus configuration: alias 'a': milvus.connections.a.host='<credentials>@db' ")
                .doesNotContain(SECRET);
    }

    @Test
    void aUserHoldingAPasswordIsNeverQuoted() {
        assertThat(problem(Map.of("uri", "http://db:19530", "user", "root:S3cret", "password", "x")))
                .isEqualTo("Invalid Milvus configuration: alias 'a': milvus.connections.a.user=(hidden) holds a "
                        + "':', which separates user and password; expected a user name without ':'");
        assertThat(problem(Map.of("uri", "http://db:19530", "user", "root:S3cret")))
                .contains("milvus.connections.a.user=(hidden) is set without a password")
                .doesNotContain(SECRET);
    }

    @Test
    void everyKeyHoldingCredentialsIsRefusedWithoutThem() {
        for (ConnectionKey key : ConnectionKey.values()) {
            List<String> values = new ArrayList<>(List.of("https://root:S3cret@db:443", "root:S3cret@db"));
            if (key == ConnectionKey.USER) {
                values.add("root:S3cret"); // any other key: as like host:port as user:password
            }
            for (String value : values) {
                Map<String, String> keys = new HashMap<>();
                keys.put("uri", "http://db:19530");
                keys.put("password", "pw");
                keys.put(key.key(), value);
                String message;
                try {
                    reader.read("a", keys);
                    continue; // accepted: nothing quoted
                } catch (MilvusConfigurationException refused) {
                    message = refused.getMessage();
                }
                assertThat(message).as("%s=%s", key.key(), value).doesNotContain(SECRET);
            }
        }
    }

    @Test
    void aUriQueryIsRefusedNamingTheKeyWithoutQuotingIt() {
        assertThat(problem(Map.of("uri", "https://db:443?token=S3cret")))
                .isEqualTo("Invalid Milvus configuration: alias 'a': milvus.connections.a.uri='https://db:443?"
                        + "<hidden>' has a query ('?' and what follows), which is not read; set each setting as a "
                        + "key of its own (token, user and password, db-name), or put the database in the path: "
                        + MilvusUri.FORM);
        assertThat(problem(Map.of("uri", "https://root:pw@db:443/mydb#S3cret")))
                .contains("milvus.connections.a.uri='https://<credentials>@db:443/mydb#<hidden>' has a fragment")
                .doesNotContain(SECRET);
    }

    @Test
    void globalKeysAreQuotedThroughTheSameRule() {
        assertThat(MilvusUri.redact("http://root:S3cret@db")).isEqualTo("http://<credentials>@db");
        assertThat(MilvusUri.redact("root:S3cret@db?token=x")).isEqualTo("<credentials>@db?<hidden>");
        assertThat(MilvusUri.redact("db:19530")).isEqualTo("db:19530");
    }
}
