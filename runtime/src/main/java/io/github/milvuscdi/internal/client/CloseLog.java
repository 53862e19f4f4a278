package io.github.milvuscdi.internal.client;

import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/** Says that a client was closed, even while the JVM shuts down. Stateless and thread-safe. */
final class CloseLog {

    private static final Logger LOG = Logger.getLogger(SdkClientFactory.class.getName());

    private CloseLog() {}

    /**
     * Logs what closing a client did, through the factory's logger or, when java.util.logging has no handler
     * left for it, on standard error.
     *
     * <p>Why: the JDK's {@code LogManager} resets java.util.logging (removes every handler) from its
     * own shutdown hook, which runs at the same time as the server's. A server that undeploys its
     * applications from a shutdown hook, as Payara Micro does on SIGTERM, closes our clients after
     * that reset, and their close would go unrecorded. Standard error is what such a server's
     * console log keeps; servers with their own log manager (WildFly) never get here.
     */
    static void log(Level level, Throwable thrown, String message) {
        if (!LOG.isLoggable(level)) {
            return;
        }
        LogRecord record = new LogRecord(level, message);
        record.setLoggerName(LOG.getName());
        record.setSourceClassName(SdkClientFactory.class.getName());
        record.setSourceMethodName("close");
        record.setThrown(thrown);
        if (hasHandlers(LOG)) {
            LOG.log(record);
        } else {
            System.err.print(new SimpleFormatter().format(record));
            System.err.flush();
        }
    }

    private static boolean hasHandlers(Logger logger) {
        for (Logger current = logger; current != null; current = current.getParent()) {
            if (current.getHandlers().length > 0) {
                return true;
            }
            if (!current.getUseParentHandlers()) {
                return false;
            }
        }
        return false;
    }
}
