package io.github.milvuscdi.internal.sdk;

import java.util.logging.Filter;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Keeps the {@code authorization} header out of gRPC's frame log.
 *
 * <p>At {@code FINE}, the SDK's shaded gRPC logs every HTTP/2 frame through java.util.logging, under
 * the logger of its {@code NettyClientHandler}: each request's headers, and so the base64 of the
 * token or of {@code user:password}. Someone who turns logging to {@code ALL} to diagnose a
 * connection would write the credentials into the log. A filter on that logger rewrites the header's
 * value to {@code <hidden>} and keeps the rest of the line.
 *
 * <p>The logger belongs to the whole server, and each deployment loads its own copy of this class:
 * a filter of an earlier deployment is replaced, never chained (a chain would keep every old
 * deployment's class loader reachable), and {@link #uninstall()} puts back what was there when the
 * container stops. The logger is held here, strongly: the logging framework keeps loggers only
 * weakly, and a collected logger would lose its filter.
 */
final class FrameLogFilter implements Filter {

    /** The logger of gRPC's frame log, as the SDK shades it. */
    static final String FRAME_LOGGER = "io.milvus.shaded.io.grpc.netty.shaded.io.grpc.netty.NettyClientHandler";

    private static final Pattern AUTHORIZATION = Pattern.compile("(?i)(authorization\\s*[:=]\\s*)[^,\\]\\s]+");
    private static final Logger LOGGER = Logger.getLogger(FRAME_LOGGER);

    private final Filter previous;

    private FrameLogFilter(Filter previous) {
        this.previous = previous;
    }

    /** Installs the filter on the frame logger, in place of an earlier deployment's; idempotent. */
    static synchronized void install() {
        Filter current = LOGGER.getFilter();
        if (current instanceof FrameLogFilter) {
            return;
        }
        boolean ours = current != null && current.getClass().getName().equals(FrameLogFilter.class.getName());
        LOGGER.setFilter(new FrameLogFilter(ours ? null : current));
    }

    /** Puts back the filter that was there before {@link #install()}, if ours is still in place. */
    static synchronized void uninstall() {
        Filter current = LOGGER.getFilter();
        if (current instanceof FrameLogFilter) {
            LOGGER.setFilter(((FrameLogFilter) current).previous);
        }
    }

    @Override
    public boolean isLoggable(LogRecord record) {
        String message = record.getMessage();
        if (message != null) {
            record.setMessage(hide(message));
        }
        Object[] parameters = record.getParameters();
        if (parameters != null) {
            Object[] hidden = parameters.clone();
            for (int i = 0; i < hidden.length; i++) {
                if (hidden[i] != null) {
                    hidden[i] = hide(String.valueOf(hidden[i]));
                }
            }
            record.setParameters(hidden);
        }
        return previous == null || previous.isLoggable(record);
    }

    /**
     * Hides the values of {@code authorization} headers in a text.
     *
     * @param text a log line
     * @return the line with each header value replaced by {@code <hidden>}
     */
    static String hide(String text) {
        Matcher matcher = AUTHORIZATION.matcher(text);
        return matcher.find() ? matcher.replaceAll("$1<hidden>") : text;
    }
}
