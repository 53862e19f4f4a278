package io.github.milvuscdi.internal.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.milvuscdi.MilvusConfigurationException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What is not an IPv6 address, a port or an alias is refused at configuration, not passed on to
 * gRPC, logs, thread names and metric attributes.
 */
class StrictLiteralsTest {

    private final ConnectionSettingsReader reader = new ConnectionSettingsReader(name -> null);

    private String problem(String alias, Map<String, String> keys) {
        try {
            reader.read(alias, keys);
        } catch (MilvusConfigurationException expected) {
            return expected.getMessage();
        }
        throw new AssertionError("expected a configuration problem");
    }

    @Test
    void onlyIpv6AddressesPassAsIpv6Literals() {
        for (String wrong : new String[] {":::", "1:::2", "1::2::3", "1:2:3:4:5:6:7:8:9", "1:2:3", "12345::", "::g"}) {
            assertThat(problem("a", Map.of("uri", "http://[" + wrong + "]:19530")))
                    .as(wrong)
                    .contains("has a host that is not an IPv6 address");
        }
        for (String right : new String[] {
            "::1", "::", "fe80::1%25eth0", "2001:db8::8:800:200c:417a", "::ffff:10.0.0.1", "1:2:3:4:5:6:7:8"
        }) {
            assertThat(reader.read("a", Map.of("uri", "http://[" + right + "]:19530"))
                            .port())
                    .as(right)
                    .isEqualTo(19530);
        }
    }

    @Test
    void aSignedPortOrOtherScriptsDigitsAreNotAPort() {
        assertThat(problem("a", Map.of("host", "db", "port", "+19530")))
                .contains("milvus.connections.a.port='+19530' is not a port");
        assertThat(problem("a", Map.of("host", "db", "port", "١٩٥٣٠")))
                .contains("milvus.connections.a.port='١٩٥٣٠' is not a port");
        assertThat(problem("a", Map.of("uri", "http://db:+19530"))).contains("has a port that is not a number");
        assertThat(problem("a", Map.of("address", "db:١٩٥٣٠"))).contains("has a port that is not a number");
        assertThat(problem("a", Map.of("uri", "http://db:19530", "retry.max-attempts", "+3")))
                .contains("retry.max-attempts='+3' is not an accepted whole number");
    }

    @Test
    void anAliasWithControlCharactersIsRefusedAndShownEscaped() {
        assertThat(problem("a\nINFO forged", Map.of("uri", "http://db:19530")))
                .isEqualTo("Invalid Milvus configuration: alias 'a\\u000AINFO forged' is not valid: it holds "
                        + "control or invisible characters (shown as \\uXXXX), which would reach logs, thread "
                        + "names and metric attributes; use letters, digits, '-' and '_'")
                .doesNotContain("\n");
        assertThatThrownBy(() -> reader.read("x\u202Ey", Map.of("uri", "http://db:19530")))
                .hasMessageContaining("alias 'x\\u202Ey' is not valid");
    }
}
