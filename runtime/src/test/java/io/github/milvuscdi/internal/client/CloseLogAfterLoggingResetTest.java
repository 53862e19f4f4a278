package io.github.milvuscdi.internal.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.milvuscdi.harness.LogCapture;
import io.github.milvuscdi.internal.config.ConnectionSettings;
import io.github.milvuscdi.internal.config.ConnectionSettingsReader;
import io.milvus.v2.client.MilvusClientV2;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/**
 * A client closed after java.util.logging lost its handlers (the JDK's LogManager resets it from a
 * shutdown hook, before Payara Micro undeploys from its own) still says so, on standard error.
 * End to end: {@code it-payara}'s {@code PayaraMicroIT}.
 */
class CloseLogAfterLoggingResetTest {

    private static final ConnectionSettings ARCHIVE = new ConnectionSettingsReader()
            .read("archive", Map.of("address", "127.0.0.1:19531", "password", "s3cret", "user", "notes"));

    @Test
    void closingWithoutAnyHandlerWritesTheCloseMessageToStandardError() {
        Logger logger = Logger.getLogger(SdkClientFactory.class.getName());
        boolean useParentHandlers = logger.getUseParentHandlers();
        Handler[] handlers = logger.getHandlers();
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        try {
            // what LogManager.reset() leaves for our logger: no handler on the way to the root
            logger.setUseParentHandlers(false);
            for (Handler handler : handlers) {
                logger.removeHandler(handler);
            }
            System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
            new SdkClientFactory((alias, builder) -> {}).close(ARCHIVE, new MilvusClientV2(null));
        } finally {
            System.setErr(err);
            logger.setUseParentHandlers(useParentHandlers);
            for (Handler handler : handlers) {
                logger.addHandler(handler);
            }
        }
        String written = captured.toString(StandardCharsets.UTF_8);
        assertThat(written)
                .contains("INFO: Closed Milvus connection 'archive' to 127.0.0.1:19531")
                .contains(SdkClientFactory.class.getName())
                .doesNotContain("s3cret");
    }

    @Test
    void closingWithHandlersLogsThroughThem() {
        try (LogCapture log = LogCapture.ours()) {
            new SdkClientFactory((alias, builder) -> {}).close(ARCHIVE, new MilvusClientV2(null));
            assertThat(log.text()).contains("Closed Milvus connection 'archive' to 127.0.0.1:19531");
        }
    }
}
