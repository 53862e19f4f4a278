package io.github.milvuscdi;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** Collects what our loggers write, for tests that assert on logs. Close to detach. */
public final class LogCapture extends Handler implements AutoCloseable {

    private final Logger logger;
    private final List<String> messages = new CopyOnWriteArrayList<>();

    private LogCapture(Logger logger) {
        this.logger = logger;
        setLevel(Level.ALL);
        logger.addHandler(this);
    }

    /** Captures every record logged under {@code io.github.milvuscdi}. */
    public static LogCapture ours() {
        return new LogCapture(Logger.getLogger("io.github.milvuscdi"));
    }

    /** @return every message so far, formatted with its parameters */
    public List<String> messages() {
        return List.copyOf(messages);
    }

    /** @return all messages joined with new lines */
    public String text() {
        return String.join("\n", messages);
    }

    @Override
    public void publish(LogRecord record) {
        String message = record.getMessage();
        if (record.getThrown() != null) {
            message = message + " | " + record.getThrown();
        }
        messages.add(message);
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        logger.removeHandler(this);
    }
}
