package io.github.milvuscdi.internal.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.milvuscdi.MilvusConfigurationException;
import io.github.milvuscdi.harness.LogCapture;
import io.github.milvuscdi.internal.client.ClientFactory;
import io.github.milvuscdi.internal.client.ConnectionRegistry;
import io.milvus.v2.client.MilvusClientV2;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Every value of every key either works or is a configuration problem that names the key; and a
 * secret, wherever it is written, is never quoted. 1,000 tries per property; jqwik prints the seed of
 * a failing run, and {@code @Property(seed = "…")} replays it.
 */
class HostileValuesProperties {

    private final ConnectionSettingsReader reader = new ConnectionSettingsReader(name -> null);

    @Property(tries = 1000)
    void anyValueOfAnyKeyIsAcceptedOrAProblemNamingTheKey(
            @ForAll("keys") ConnectionKey key, @ForAll("hostile") String value) {
        Map<String, String> keys = new HashMap<>();
        keys.put("host", "milvus");
        keys.put(key.key(), value);
        try {
            ConnectionSettings settings = reader.read("a", keys);
            assertThat(settings.connectTimeout()).isPositive();
            assertThat(settings.toString()).isNotBlank();
        } catch (MilvusConfigurationException problem) {
            assertThat(problem.problems())
                    .isNotEmpty()
                    .allSatisfy(sentence ->
                            assertThat(sentence).startsWith("alias 'a': ").contains("milvus.connections.a."));
            assertThat(problem.getMessage()).contains("milvus.connections.a." + key.key());
        }
    }

    @Property(tries = 1000)
    void aSecretIsNeverQuotedWhereverItIsWritten(
            @ForAll("secrets") String secret, @ForAll("places") String place, @ForAll("hostile") String noise) {
        Map<String, String> keys = new HashMap<>();
        switch (place) {
            case "password":
                keys.put("user", "root");
                keys.put("password", secret);
                break;
            case "token":
                keys.put("token", secret);
                break;
            case "uri-raw":
                keys.put("uri", "http://root:" + secret + "@milvus:19530/" + noise);
                break;
            case "uri-token":
                keys.put("uri", "https://" + secret + "@" + noise + ":19530");
                break;
            default:
                keys.put("uri", "http://root:" + URLEncoder.encode(secret, StandardCharsets.UTF_8) + "@" + noise);
        }
        keys.put("connect-timeout", noise); // often a problem too: messages are built around the secret
        Logger ours = Logger.getLogger("io.github.milvuscdi");
        Level level = ours.getLevel();
        ours.setLevel(Level.ALL);
        StringBuilder seen = new StringBuilder();
        try (LogCapture log = LogCapture.ours()) {
            try {
                ConnectionSettings settings = reader.read("a", keys);
                seen.append(settings).append('\n');
                ConnectionRegistry registry =
                        new ConnectionRegistry(MilvusConfiguration.read(null, Set.of()), false, new RefusingFactory());
                registry.addConnection("a", keys);
                seen.append(registry.getConnectionAddr("a")).append(registry).append('\n');
                try {
                    registry.connect("a");
                } catch (RuntimeException refused) {
                    seen.append(refused.getMessage()).append('\n');
                }
            } catch (MilvusConfigurationException problem) {
                seen.append(problem.getMessage()).append(problem.problems()).append('\n');
            }
            seen.append(log.text());
        } finally {
            ours.setLevel(level);
        }
        assertThat(seen.toString())
                .doesNotContain(secret)
                .doesNotContain(URLEncoder.encode(secret, StandardCharsets.UTF_8));
    }

    @Provide
    Arbitrary<ConnectionKey> keys() {
        return Arbitraries.of(ConnectionKey.class);
    }

    @Provide
    Arbitrary<String> places() {
        return Arbitraries.of("password", "token", "uri-raw", "uri-token", "uri-encoded");
    }

    /** Secrets as generators make them, with the characters that break naive parsing. */
    @Provide
    Arbitrary<String> secrets() {
        return Arbitraries.strings()
                .withChars("abcXYZ0189/@:%+!#?[]")
                .ofMinLength(6)
                .ofMaxLength(30)
                .map(tail -> "S3cr" + tail);
    }

    /** What people write, and worse: unicode, control characters, huge and tiny numbers, uri syntax. */
    @Provide
    Arbitrary<String> hostile() {
        Arbitrary<String> syntax = Arbitraries.strings()
                .withChars("%@/[]:.-_ \t?#+0123456789abcPTSHMms")
                .ofMaxLength(24);
        Arbitrary<String> unicode = Arbitraries.strings().all().ofMaxLength(16);
        Arbitrary<String> numbers = Arbitraries.longs().map(String::valueOf);
        Arbitrary<String> durations = Combinators.combine(
                        Arbitraries.longs().greaterOrEqual(0), Arbitraries.of("", "ms", "s", "m", "h", "d"))
                .as((n, unit) -> n + unit);
        Arbitrary<String> iso = Arbitraries.of(
                "PT0.0001S",
                "PT0S",
                "-PT1S",
                "P1D",
                "PT99999999999999H",
                "PT1.5S",
                "P",
                "PT",
                "9999999999999999h",
                "0",
                "",
                " ",
                "http://[fe80::1%25eth0]:19530",
                "http://milvus_x:1",
                "http://root:ab/cd@milvus:19530",
                "https://TOKEN@host",
                "root:1234/x@host",
                "http://h:1/%zz");
        return Arbitraries.oneOf(syntax, unicode, numbers, durations, iso);
    }

    /** Never connects: the properties are about what is said, not about a server. */
    private static final class RefusingFactory implements ClientFactory {
        @Override
        public MilvusClientV2 open(ConnectionSettings settings) {
            throw new IllegalStateException("not connecting to " + settings.address() + " " + List.of(settings));
        }

        @Override
        public void close(ConnectionSettings settings, MilvusClientV2 client) {}
    }
}
