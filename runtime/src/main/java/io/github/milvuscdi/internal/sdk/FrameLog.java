package io.github.milvuscdi.internal.sdk;

import io.milvus.shaded.io.grpc.netty.shaded.io.netty.util.internal.logging.InternalLogger;
import io.milvus.shaded.io.grpc.netty.shaded.io.netty.util.internal.logging.InternalLoggerFactory;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Keeps the {@code authorization} header out of gRPC's frame log, whatever logging backend the
 * application uses.
 *
 * <p>At {@code DEBUG}, the SDK's shaded gRPC logs every HTTP/2 frame under the logger of its
 * {@code NettyClientHandler}: each request's headers, and so the base64 of the token or of
 * {@code user:password}. It logs through the SDK's shaded Netty, which picks its backend itself:
 * SLF4J first (Logback, Log4j2, or java.util.logging behind it), then Log4j2, then java.util.logging.
 * So the value is hidden where every one of those paths starts: this factory becomes shaded Netty's
 * default logger factory, hands out the loggers of the factory it replaced, and wraps the frame
 * logger in a {@link FrameLogger} that rewrites the header's value to {@code <hidden>} and keeps the
 * rest of the line. gRPC asks for that logger for each new connection (transport), so installing
 * before the first channel is enough.
 *
 * <p>The default factory is a static of the SDK's copy of Netty: each application that carries the
 * SDK ({@code WEB-INF/lib}) has its own, which lives and goes with it; nothing server-wide is
 * changed, so stopping one application cannot take another's protection away. Only when the SDK
 * outlives this copy of the library (a class loader of its own, shared by applications) does
 * {@link #release()} put the replaced factory back, so that the SDK keeps nothing of a stopped
 * application; another application's copy installs its own again when it next connects.
 */
final class FrameLog extends InternalLoggerFactory {

    /** The logger of gRPC's frame log, as the SDK shades it. */
    static final String FRAME_LOGGER = "io.milvus.shaded.io.grpc.netty.shaded.io.grpc.netty.NettyClientHandler";

    private static final Pattern AUTHORIZATION = Pattern.compile("(?i)(authorization\\s*[:=]\\s*)[^,\\]\\s]+");
    /** {@code newInstance} is protected: a subclass may call it on itself only, not on the factory it wraps. */
    private static final MethodHandle NEW_INSTANCE = newInstanceHandle();

    private final InternalLoggerFactory replaced;

    private FrameLog(InternalLoggerFactory replaced) {
        this.replaced = replaced;
    }

    /** @return whether the SDK's Netty lets this class wrap its loggers; see {@link MilvusSdk#missing()} */
    static boolean available() {
        return NEW_INSTANCE != null;
    }

    /**
     * Makes this class shaded Netty's default logger factory, unless a copy of it already is (this
     * application's, or another's on an SDK they share); idempotent.
     */
    static synchronized void install() {
        if (!available()) {
            return;
        }
        InternalLoggerFactory current = InternalLoggerFactory.getDefaultFactory();
        if (!current.getClass().getName().equals(FrameLog.class.getName())) {
            InternalLoggerFactory.setDefaultFactory(new FrameLog(current));
        }
    }

    /** Puts back the replaced factory when the SDK would otherwise keep this class loader reachable. */
    static synchronized void release() {
        if (InternalLoggerFactory.class.getClassLoader() == FrameLog.class.getClassLoader()) {
            return; // the SDK goes with this copy: nothing outlives it
        }
        if (InternalLoggerFactory.getDefaultFactory() instanceof FrameLog ours) {
            InternalLoggerFactory.setDefaultFactory(ours.replaced);
        }
    }

    @Override
    protected InternalLogger newInstance(String name) {
        InternalLogger logger;
        try {
            logger = (InternalLogger) NEW_INSTANCE.invoke(replaced, name);
        } catch (RuntimeException | Error failed) {
            throw failed;
        } catch (Throwable impossible) {
            throw new IllegalStateException(impossible);
        }
        return FRAME_LOGGER.equals(name) ? new FrameLogger(logger) : logger;
    }

    /**
     * Hides the values of {@code authorization} headers in a text.
     *
     * @param text a log line or a part of it
     * @return the text with each header value replaced by {@code <hidden>}
     */
    static String hide(String text) {
        Matcher matcher = AUTHORIZATION.matcher(text);
        return matcher.find() ? matcher.replaceAll("$1<hidden>") : text;
    }

    private static MethodHandle newInstanceHandle() {
        try {
            return MethodHandles.privateLookupIn(InternalLoggerFactory.class, MethodHandles.lookup())
                    .findVirtual(
                            InternalLoggerFactory.class,
                            "newInstance",
                            MethodType.methodType(InternalLogger.class, String.class));
        } catch (NoSuchMethodException | IllegalAccessException | RuntimeException | LinkageError unavailable) {
            return null;
        }
    }
}
