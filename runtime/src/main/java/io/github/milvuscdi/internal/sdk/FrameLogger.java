package io.github.milvuscdi.internal.sdk;

import io.milvus.shaded.io.grpc.netty.shaded.io.netty.util.internal.logging.AbstractInternalLogger;
import io.milvus.shaded.io.grpc.netty.shaded.io.netty.util.internal.logging.InternalLogger;

/**
 * gRPC's frame logger with the {@code authorization} header's value hidden ({@link FrameLog}): each
 * message, and the text of each argument, passes {@link FrameLog#hide}; exceptions pass unchanged.
 * Whether a level is enabled is the wrapped logger's answer, so the frame log costs nothing more when
 * it is off. Thread-safe as the wrapped logger.
 */
final class FrameLogger extends AbstractInternalLogger {

    private static final long serialVersionUID = 1L;

    private final transient InternalLogger logger;

    FrameLogger(InternalLogger logger) {
        super(logger.name());
        this.logger = logger;
    }

    private static Object hidden(Object argument) {
        return argument == null || argument instanceof Throwable ? argument : FrameLog.hide(String.valueOf(argument));
    }

    private static Object[] hidden(Object[] arguments) {
        if (arguments == null) {
            return null;
        }
        Object[] hidden = new Object[arguments.length];
        for (int i = 0; i < arguments.length; i++) {
            hidden[i] = hidden(arguments[i]);
        }
        return hidden;
    }

    @Override
    public boolean isTraceEnabled() {
        return logger.isTraceEnabled();
    }

    @Override
    public void trace(String message) {
        logger.trace(FrameLog.hide(message));
    }

    @Override
    public void trace(String format, Object argument) {
        logger.trace(format, hidden(argument));
    }

    @Override
    public void trace(String format, Object first, Object second) {
        logger.trace(format, hidden(first), hidden(second));
    }

    @Override
    public void trace(String format, Object... arguments) {
        logger.trace(format, hidden(arguments));
    }

    @Override
    public void trace(String message, Throwable thrown) {
        logger.trace(FrameLog.hide(message), thrown);
    }

    @Override
    public boolean isDebugEnabled() {
        return logger.isDebugEnabled();
    }

    @Override
    public void debug(String message) {
        logger.debug(FrameLog.hide(message));
    }

    @Override
    public void debug(String format, Object argument) {
        logger.debug(format, hidden(argument));
    }

    @Override
    public void debug(String format, Object first, Object second) {
        logger.debug(format, hidden(first), hidden(second));
    }

    @Override
    public void debug(String format, Object... arguments) {
        logger.debug(format, hidden(arguments));
    }

    @Override
    public void debug(String message, Throwable thrown) {
        logger.debug(FrameLog.hide(message), thrown);
    }

    @Override
    public boolean isInfoEnabled() {
        return logger.isInfoEnabled();
    }

    @Override
    public void info(String message) {
        logger.info(FrameLog.hide(message));
    }

    @Override
    public void info(String format, Object argument) {
        logger.info(format, hidden(argument));
    }

    @Override
    public void info(String format, Object first, Object second) {
        logger.info(format, hidden(first), hidden(second));
    }

    @Override
    public void info(String format, Object... arguments) {
        logger.info(format, hidden(arguments));
    }

    @Override
    public void info(String message, Throwable thrown) {
        logger.info(FrameLog.hide(message), thrown);
    }

    @Override
    public boolean isWarnEnabled() {
        return logger.isWarnEnabled();
    }

    @Override
    public void warn(String message) {
        logger.warn(FrameLog.hide(message));
    }

    @Override
    public void warn(String format, Object argument) {
        logger.warn(format, hidden(argument));
    }

    @Override
    public void warn(String format, Object first, Object second) {
        logger.warn(format, hidden(first), hidden(second));
    }

    @Override
    public void warn(String format, Object... arguments) {
        logger.warn(format, hidden(arguments));
    }

    @Override
    public void warn(String message, Throwable thrown) {
        logger.warn(FrameLog.hide(message), thrown);
    }

    @Override
    public boolean isErrorEnabled() {
        return logger.isErrorEnabled();
    }

    @Override
    public void error(String message) {
        logger.error(FrameLog.hide(message));
    }

    @Override
    public void error(String format, Object argument) {
        logger.error(format, hidden(argument));
    }

    @Override
    public void error(String format, Object first, Object second) {
        logger.error(format, hidden(first), hidden(second));
    }

    @Override
    public void error(String format, Object... arguments) {
        logger.error(format, hidden(arguments));
    }

    @Override
    public void error(String message, Throwable thrown) {
        logger.error(FrameLog.hide(message), thrown);
    }
}
