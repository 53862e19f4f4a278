package io.github.milvuscdi.internal.cdi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.milvuscdi.MilvusConnection;
import io.github.milvuscdi.internal.cdi.Containers.Path;
import io.github.milvuscdi.internal.config.ConnectionKey;
import io.github.milvuscdi.internal.health.MilvusReadinessCheck;
import io.github.milvuscdi.testing.MilvusLiteExtension;
import io.milvus.v2.client.MilvusClientV2;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import org.eclipse.microprofile.config.spi.ConfigProviderResolver;
import org.eclipse.microprofile.health.Readiness;
import org.jboss.weld.environment.se.WeldContainer;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every key set to a value that carries credentials ({@code https://root:S3cret@db:443},
 * {@code root:S3cret@db}, a user {@code root:S3cret}, a uri query {@code ?token=S3cret}), from the
 * configuration file and from the environment, on both CDI paths: the secret is in neither the
 * deployment error nor the log at any level; and an application whose valid keys carry credentials
 * shows them in neither its readiness JSON nor its log.
 */
@Timeout(120)
class CredentialsInEveryKeyTest {

    private static final String SECRET = "S3cret";

    @RegisterExtension
    static final MilvusLiteExtension MILVUS = new MilvusLiteExtension("every-key");

    /** The value each key gets: what a user who pasted credentials into it would write. */
    private static String credentialBearing(ConnectionKey key) {
        return switch (key) {
            case ADDRESS -> "https://root:" + SECRET + "@db:443";
            case URI -> "https://db:443/?token=" + SECRET;
            case USER -> "root:" + SECRET;
            case PASSWORD, TOKEN -> SECRET;
            default -> "root:" + SECRET + "@db";
        };
    }

    /** Alias of a key's case: its letters, so that the environment's names map back to it. */
    private static String alias(ConnectionKey key) {
        return "k" + key.name().toLowerCase(Locale.ROOT).replace("_", "");
    }

    private static boolean location(ConnectionKey key) {
        return key == ConnectionKey.ADDRESS || key == ConnectionKey.HOST || key == ConnectionKey.PORT;
    }

    @ParameterizedTest(name = "{0}, from the {1}")
    @CsvSource({"PORTABLE, file", "PORTABLE, environment", "BUILD_COMPATIBLE, file", "BUILD_COMPATIBLE, environment"})
    void noDeploymentErrorOrLogLineQuotesCredentialsWhateverKeyHoldsThem(Path path, String source) throws Exception {
        Map<String, String> file = new LinkedHashMap<>();
        Map<String, String> environment = new LinkedHashMap<>();
        for (ConnectionKey key : ConnectionKey.values()) {
            String alias = alias(key);
            file.put("milvus.connections." + alias + ".health.enabled", "true"); // names the alias
            if (!location(key)) {
                file.put("milvus.connections." + alias + ".uri", "http://db:19530");
            }
            if (source.equals("file")) {
                file.put(key.fullKey(alias), credentialBearing(key));
            } else {
                environment.put(
                        key.fullKey(alias)
                                .toUpperCase(Locale.ROOT)
                                .replace('.', '_')
                                .replace('-', '_'),
                        credentialBearing(key));
            }
        }
        List<String> seen = new CopyOnWriteArrayList<>();
        try (AutoCloseable logs = captureEveryLogLine(seen);
                AutoCloseable c = useConfig(file, environment)) {
            assertThatThrownBy(() -> Containers.boot(path).close())
                    .satisfies(failure -> seen.add(stackTrace(failure)))
                    .satisfies(failure -> assertThat(stackTrace(failure))
                            .as("the deployment error")
                            .contains("milvus.connections.kaddress.address='https://<credentials>@db:443' is "
                                    + "not host:port")
                            .contains("milvus.connections.khost.host='<credentials>@db'")
                            .contains("milvus.connections.kuser.user=(hidden)")
                            .contains("milvus.connections.kuri.uri='https://db:443/?<hidden>' has a query")
                            .contains("milvus.connections.kservername.server-name='<credentials>@db'"));
        }
        assertThat(seen).isNotEmpty();
        assertThat(seen.stream().flatMap(String::lines).filter(line -> line.contains(SECRET)))
                .as("lines of the deployment error and of the log that hold the secret")
                .isEmpty();
    }

    @ParameterizedTest(name = "{0}, from the {1}")
    @CsvSource({"PORTABLE, file", "PORTABLE, environment", "BUILD_COMPATIBLE, file", "BUILD_COMPATIBLE, environment"})
    void noReadinessEntryOrLogLineQuotesCredentialsOfAWorkingApplication(Path path, String source) throws Exception {
        Map<String, String> keys = new LinkedHashMap<>();
        keys.put("milvus.connections.inuri.uri", MILVUS.server().uri().replace("://", "://root:" + SECRET + "@"));
        keys.put("milvus.connections.inkeys.uri", MILVUS.server().uri());
        keys.put("milvus.connections.inkeys.user", "root");
        keys.put("milvus.connections.inkeys.password", SECRET);
        keys.put("milvus.connections.infile.uri", MILVUS.server().uri());
        keys.put(
                "milvus.connections.infile.token-file",
                secretFile("root:" + SECRET).toString());
        keys.put("milvus.connections.inpair.uri", MILVUS.server().uri());
        keys.put("milvus.connections.inpair.user-file", secretFile("root").toString());
        keys.put("milvus.connections.inpair.password-file", secretFile(SECRET).toString());
        Map<String, String> file = new LinkedHashMap<>();
        Map<String, String> environment = new LinkedHashMap<>();
        keys.forEach((key, value) -> {
            if (source.equals("file")) {
                file.put(key, value);
            } else {
                file.put(key, "placeholder-overridden");
                environment.put(key.toUpperCase(Locale.ROOT).replace('.', '_'), value);
            }
        });
        List<String> seen = new CopyOnWriteArrayList<>();
        try (AutoCloseable logs = captureEveryLogLine(seen);
                AutoCloseable c = useConfig(file, environment);
                WeldContainer container = Containers.boot(path, MilvusReadinessCheck.class)) {
            for (String alias : List.of("inuri", "inkeys", "infile", "inpair")) {
                MilvusClientV2 client = container
                        .select(MilvusClientV2.class, MilvusConnection.Literal.of(alias))
                        .get();
                assertThat(client.listCollections().getCollectionNames()).isNotNull();
            }
            String readiness = String.valueOf(container
                    .select(MilvusReadinessCheck.class, Readiness.Literal.INSTANCE)
                    .get()
                    .call()
                    .getData());
            assertThat(readiness)
                    .as("the readiness data")
                    .contains("inuri")
                    .contains("inkeys")
                    .contains("infile")
                    .contains("inpair");
            seen.add(readiness);
        }
        assertThat(seen.stream().flatMap(String::lines).filter(line -> line.contains(SECRET)))
                .as("lines of the readiness data and of the log that hold the secret")
                .isEmpty();
    }

    /** A file holding credentials, as a Kubernetes secret's mount would. */
    private static java.nio.file.Path secretFile(String content) {
        try {
            java.nio.file.Path file = java.nio.file.Files.createTempFile("milvus-cdi-token", "");
            file.toFile().deleteOnExit();
            return java.nio.file.Files.writeString(file, content + "\n");
        } catch (java.io.IOException failed) {
            throw new java.io.UncheckedIOException(failed);
        }
    }

    private static AutoCloseable useConfig(Map<String, String> file, Map<String, String> environment) {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        ConfigProviderResolver resolver = ConfigProviderResolver.instance();
        try {
            resolver.releaseConfig(resolver.getConfig(loader));
        } catch (RuntimeException none) {
            // nothing registered
        }
        resolver.registerConfig(
                new SmallRyeConfigBuilder()
                        .withSources(new PropertiesConfigSource(file, "file", 250))
                        .withSources(new EnvConfigSource(environment, 300))
                        .build(),
                loader);
        return () -> resolver.releaseConfig(resolver.getConfig(loader));
    }

    /** Every JUL record, every logger at {@code ALL}, formatted with its parameters and exception. */
    private static AutoCloseable captureEveryLogLine(List<String> seen) {
        Handler everything = new Handler() {
            @Override
            public void publish(LogRecord record) {
                seen.add(record.getLoggerName() + " " + new SimpleFormatter().format(record));
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        everything.setLevel(Level.ALL);
        Logger root = LogManager.getLogManager().getLogger("");
        Level rootLevel = root.getLevel();
        root.setLevel(Level.ALL);
        root.addHandler(everything);
        return () -> {
            root.removeHandler(everything);
            root.setLevel(rootLevel);
        };
    }

    private static String stackTrace(Throwable failure) {
        StringWriter text = new StringWriter();
        failure.printStackTrace(new PrintWriter(text));
        return text.toString();
    }
}
