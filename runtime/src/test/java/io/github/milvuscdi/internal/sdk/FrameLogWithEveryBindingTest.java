package io.github.milvuscdi.internal.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.milvuscdi.MilvusConnections;
import io.github.milvuscdi.launcher.MilvusLiteOptions;
import io.github.milvuscdi.testing.MilvusLiteExtension;
import io.github.milvuscdi.testing.TestSecrets;
import io.milvus.v2.client.MilvusClientV2;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * gRPC's frame log at DEBUG, with credentials that the server checks: the headers are logged, the
 * {@code authorization} value is not, whichever backend SLF4J is bound to. The build runs this class
 * once per binding, each in its own JVM ({@code runtime/pom.xml}: the default run binds
 * java.util.logging; {@code frame-log-logback} and {@code frame-log-log4j2} swap the binding and set
 * {@code frame.log.binding} and {@code frame.log.file}, where their configuration writes).
 */
class FrameLogWithEveryBindingTest {

    private static final TestSecrets SECRETS = TestSecrets.generate();

    @RegisterExtension
    static final MilvusLiteExtension AUTH = new MilvusLiteExtension(
            "frame-log", MilvusLiteOptions.plaintext().credentials(SECRETS.user(), SECRETS.password()));

    @Test
    void theFrameLogShowsHeadersButNeverTheCredentials() throws Exception {
        String binding = System.getProperty("frame.log.binding", "jul");
        assertThat(org.slf4j.LoggerFactory.getILoggerFactory().getClass().getName())
                .as("the SLF4J binding of this run")
                .containsIgnoringCase(Map.of("jul", "JDK14", "logback", "logback", "log4j2", "log4j")
                        .get(binding));
        List<String> julLines = new CopyOnWriteArrayList<>();
        Logger frames = Logger.getLogger(FrameLog.FRAME_LOGGER);
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                julLines.add(new SimpleFormatter().format(record));
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        frames.setLevel(Level.ALL);
        frames.addHandler(capture);
        // The test kit's own readiness client (the plain SDK, before this library loaded) logged
        // before: only what follows is this library's.
        Path file = binding.equals("jul") ? null : Path.of(System.getProperty("frame.log.file"));
        long before = file != null && Files.exists(file) ? Files.size(file) : 0;
        try (MilvusConnections connections = MilvusConnections.create()) {
            MilvusClientV2 client = connections.connect(
                    "frames",
                    Map.of("uri", AUTH.server().uri(), "user", SECRETS.user(), "password", SECRETS.password()));
            client.listCollections(); // the server checked the credentials: this call was allowed
        } finally {
            frames.removeHandler(capture);
        }
        String log = file == null
                ? String.join("", julLines)
                : Files.readString(file).substring((int) before);
        assertThat(log).as("the frame log (" + binding + ")").contains("OUTBOUND HEADERS");
        assertThat(log).contains("authorization: <hidden>");
        SECRETS.assertNoneIn("the log (" + binding + ")", log);
    }
}
