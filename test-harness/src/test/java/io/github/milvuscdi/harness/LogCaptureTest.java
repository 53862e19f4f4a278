package io.github.milvuscdi.harness;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/** A capture sees its logger's records, formatted, and nothing once closed. */
class LogCaptureTest {

    @Test
    void recordsMessagesWithParametersAndExceptionsUntilClosed() {
        Logger ours = Logger.getLogger("io.github.milvuscdi.capture");
        Logger sdk = Logger.getLogger("io.milvus.capture");
        LogCapture everything = LogCapture.everything();
        try (LogCapture log = LogCapture.ours()) {
            ours.log(Level.WARNING, "alias ''{0}'' is down", "search");
            ours.log(Level.INFO, "closed", new IllegalStateException("late"));
            sdk.warning("retrying");

            assertThat(log.messages())
                    .containsExactly("alias 'search' is down", "closed | java.lang.IllegalStateException: late");
            assertThat(everything.lines("io.milvus.")).containsExactly("WARNING io.milvus.capture: retrying");
            assertThat(everything.text()).contains("alias 'search' is down");
        } finally {
            everything.close();
        }
        ours.warning("after");
        assertThat(everything.text()).doesNotContain("after");
    }
}
