package io.github.milvuscdi.internal.hostile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.milvuscdi.MilvusConnection;
import io.github.milvuscdi.MilvusConnectionException;
import io.github.milvuscdi.internal.cdi.MilvusExtension;
import io.github.milvuscdi.internal.container.ContainerLifecycle;
import io.github.milvuscdi.internal.health.MilvusReadinessCheck;
import io.github.milvuscdi.launcher.MilvusLiteOptions;
import io.github.milvuscdi.testing.MilvusLiteExtension;
import io.milvus.v2.client.MilvusClientV2;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
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
import org.jboss.weld.environment.se.Weld;
import org.jboss.weld.environment.se.WeldContainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What a user does to diagnose a connection: every logger at {@code ALL}. A run that connects with a
 * password and with a token, probes readiness and fails once (a wrong password) logs and prints
 * neither secret, nor the base64 form gRPC sends; gRPC's frame log still shows the headers, with the
 * {@code authorization} value hidden. Credentials over plain http are warned about once per alias.
 */
class SecretsAtEveryLogLevelTest {

    private static final String PASSWORD = "Pw-9f3/k@x:%2Fq";
    private static final String TOKEN = "Tk-77c1/e@y:%3A";

    @RegisterExtension
    static final MilvusLiteExtension AUTH = new MilvusLiteExtension(
            "secrets-all",
            MilvusLiteOptions.plaintext().credentials("root", PASSWORD).token(TOKEN));

    @Test
    void neitherSecretNorItsBase64AppearsAnywhereWithEveryLoggerAtAll() throws Exception {
        Map<String, String> config = Map.of(
                "milvus.connections.bypassword.uri",
                AUTH.server().uri(),
                "milvus.connections.bypassword.user",
                "root",
                "milvus.connections.bypassword.password",
                PASSWORD,
                "milvus.connections.bypassword.keep-alive-without-calls",
                "false",
                "milvus.connections.bytoken.uri",
                AUTH.server().uri(),
                "milvus.connections.bytoken.token",
                TOKEN,
                "milvus.connections.bytoken.keep-alive-without-calls",
                "false",
                "milvus.connections.wrong.uri",
                AUTH.server()
                        .uri()
                        .replace(
                                "://",
                                "://root:"
                                        + PASSWORD.replace("%", "%25")
                                                .replace("/", "%2F")
                                                .replace("@", "%40")
                                                .replace(":", "%3A")
                                        + "x@"),
                "milvus.connections.wrong.connect-timeout",
                "3s");
        List<String> logged = new CopyOnWriteArrayList<>();
        Handler everything = new Handler() {
            @Override
            public void publish(LogRecord record) {
                logged.add(record.getLoggerName() + " " + new SimpleFormatter().format(record));
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        everything.setLevel(Level.ALL);
        Logger root = LogManager.getLogManager().getLogger("");
        Level rootLevel = root.getLevel();
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        ConfigProviderResolver resolver = ConfigProviderResolver.instance();
        resolver.registerConfig(
                new SmallRyeConfigBuilder()
                        .withSources(new PropertiesConfigSource(config, "test", 500))
                        .build(),
                loader);
        root.setLevel(Level.ALL);
        root.addHandler(everything);
        System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(printed, true, StandardCharsets.UTF_8));
        try (WeldContainer container = new Weld("secrets-" + System.nanoTime())
                .disableDiscovery()
                .addExtension(new MilvusExtension())
                .addBeanClasses(ContainerLifecycle.class, MilvusReadinessCheck.class)
                .initialize()) {
            for (String alias : List.of("bypassword", "bytoken")) {
                MilvusClientV2 client = container
                        .select(MilvusClientV2.class, MilvusConnection.Literal.of(alias))
                        .get();
                assertThat(client.listCollections().getCollectionNames()).isNotNull();
            }
            assertThatThrownBy(() -> container
                            .select(MilvusClientV2.class, MilvusConnection.Literal.of("wrong"))
                            .get())
                    .hasRootCauseInstanceOf(RuntimeException.class)
                    .satisfies(failure -> assertThat(rootCauseChain(failure)).contains("wrong"));
            String readiness = String.valueOf(container
                    .select(MilvusReadinessCheck.class, Readiness.Literal.INSTANCE)
                    .get()
                    .call()
                    .getData());
            logged.add(readiness);
        } finally {
            System.setOut(out);
            System.setErr(err);
            root.removeHandler(everything);
            root.setLevel(rootLevel);
            resolver.releaseConfig(resolver.getConfig(loader));
        }
        String everythingSeen = String.join("\n", logged) + "\n" + printed.toString(StandardCharsets.UTF_8);
        for (String secret : List.of(PASSWORD, TOKEN, base64("root:" + PASSWORD), base64(TOKEN))) {
            assertThat(everythingSeen.lines().filter(line -> line.contains(secret)))
                    .as("lines logged or printed that hold a secret")
                    .isEmpty();
        }
        assertThat(everythingSeen)
                .as("gRPC's frame log, with the header's value hidden")
                .contains("authorization: <hidden>");
        for (String alias : List.of("bypassword", "bytoken")) {
            assertThat(logged.stream()
                            .filter(line -> line.contains("Milvus alias '" + alias + "' sends credentials to "
                                    + AUTH.server().address() + " unencrypted (plain http)")))
                    .as("warnings for %s", alias)
                    .hasSize(1);
        }
    }

    private static String rootCauseChain(Throwable failure) {
        StringBuilder chain = new StringBuilder();
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            chain.append(cause).append('\n');
            if (cause instanceof MilvusConnectionException) {
                chain.append(((MilvusConnectionException) cause).alias()).append('\n');
            }
        }
        return chain.toString();
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
