package io.github.milvuscdi.harness;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * Records what is logged through {@code java.util.logging} under one logger, for tests that assert
 * on logs: Milvus CDI logs there, and the SDK and gRPC do too when slf4j is bound to it
 * ({@code slf4j-jdk14}, as in our tests).
 *
 * <pre>{@code
 * try (LogCapture log = LogCapture.everything()) {
 *     // ...
 *     assertThat(log.lines("io.milvus")).as("lines logged by the SDK").isEmpty();
 *     assertThat(log.text()).contains("Closed Milvus connection 'archive'");
 * }
 * }</pre>
 *
 * <p>Only records that the logger lets through are seen: a capture does not change any level.
 * Thread-safe; close it to detach.
 */
public final class LogCapture extends Handler implements AutoCloseable {

    private static final SimpleFormatter FORMATTER = new SimpleFormatter();

    private final Logger logger;
    private final List<LogRecord> records = new CopyOnWriteArrayList<>();

    private LogCapture(Logger logger, Level level) {
        this.logger = logger;
        setLevel(level);
        logger.addHandler(this);
    }

    /**
     * Captures every record of {@code INFO} or above, whoever logs it (the root logger).
     *
     * @return the capture, attached
     */
    public static LogCapture everything() {
        return new LogCapture(Logger.getLogger(""), Level.INFO);
    }

    /**
     * Captures every record that Milvus CDI logs ({@code io.github.milvuscdi} and below), at any level
     * the loggers let through.
     *
     * @return the capture, attached
     */
    public static LogCapture ours() {
        return of("io.github.milvuscdi");
    }

    /**
     * Captures every record of one logger and its children, at any level the loggers let through.
     *
     * @param loggerName the logger's name, for instance {@code io.milvus}
     * @return the capture, attached
     */
    public static LogCapture of(String loggerName) {
        return new LogCapture(Logger.getLogger(loggerName), Level.ALL);
    }

    /**
     * Every message so far, formatted with its parameters, followed by {@code " | "} and the
     * exception when one was logged.
     *
     * @return the messages, oldest first
     */
    public List<String> messages() {
        List<String> messages = new ArrayList<>();
        for (LogRecord record : records) {
            String message = FORMATTER.formatMessage(record);
            messages.add(record.getThrown() == null ? message : message + " | " + record.getThrown());
        }
        return messages;
    }

    /** @return every message so far (see {@link #messages()}), joined with new lines */
    public String text() {
        return String.join("\n", messages());
    }

    /**
     * The records of the loggers whose name starts with a prefix, one line each:
     * {@code LEVEL logger: message}.
     *
     * @param loggerPrefix the start of the loggers' names, for instance {@code io.milvus} for the SDK
     * @return the lines, oldest first
     */
    public List<String> lines(String loggerPrefix) {
        List<String> lines = new ArrayList<>();
        for (LogRecord record : records) {
            if (record.getLoggerName() != null && record.getLoggerName().startsWith(loggerPrefix)) {
                lines.add(record.getLevel() + " " + record.getLoggerName() + ": " + FORMATTER.formatMessage(record));
            }
        }
        return lines;
    }

    @Override
    public void publish(LogRecord record) {
        if (isLoggable(record)) {
            records.add(record);
        }
    }

    @Override
    public void flush() {
        // nothing buffered
    }

    /** Detaches the capture; what it recorded stays readable. */
    @Override
    public void close() {
        logger.removeHandler(this);
    }
}
