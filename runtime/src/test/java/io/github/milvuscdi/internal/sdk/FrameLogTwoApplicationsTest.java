package io.github.milvuscdi.internal.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import io.milvus.v2.client.MilvusClientV2;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/**
 * Two applications on one server, each with its own copy of the library and the SDK (as two WARs):
 * stopping one leaves the other's frame log hidden, and nothing server-wide (the java.util.logging
 * frame logger) holds a filter of either.
 */
class FrameLogTwoApplicationsTest {

    private static final String HEADERS = "OUTBOUND HEADERS: streamId=3 headers=GrpcHttp2OutboundHeaders[:authority: "
            + "127.0.0.1:19530, authorization: cm9vdDpNaWx2dXM=, dbname: default]";

    @Test
    void stoppingOneApplicationKeepsTheOthersFrameLogHidden() throws Exception {
        Logger frames = Logger.getLogger(FrameLog.FRAME_LOGGER); // held: JUL keeps loggers weakly
        List<String> logged = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                logged.add(new java.util.logging.SimpleFormatter().formatMessage(record));
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        Level level = frames.getLevel();
        frames.setLevel(Level.ALL);
        frames.addHandler(capture);
        try (URLClassLoader first = application("first");
                URLClassLoader second = application("second")) {
            call(first, "install");
            call(second, "install");

            call(first, "release"); // the first application stops

            Object logger = frameLogger(second);
            second.loadClass("io.milvus.shaded.io.grpc.netty.shaded.io.netty.util.internal.logging.InternalLogger")
                    .getMethod("debug", String.class, Object.class)
                    .invoke(logger, "{}", HEADERS);
            assertThat(logged)
                    .as("the second application's frame log")
                    .containsExactly(HEADERS.replace("cm9vdDpNaWx2dXM=", "<hidden>"));
            assertThat(frames.getFilter()).as("a server-wide filter").isNull();
        } finally {
            frames.removeHandler(capture);
            frames.setLevel(level);
        }
    }

    /** A class loader like a WAR's: this library's classes, the SDK, SLF4J bound to java.util.logging. */
    private static URLClassLoader application(String name) throws Exception {
        URL[] urls = {
            location(FrameLog.class),
            location(MilvusClientV2.class),
            location(org.slf4j.LoggerFactory.class),
            location(Class.forName("org.slf4j.jul.JDK14LoggerAdapter"))
        };
        return new URLClassLoader(name, urls, ClassLoader.getPlatformClassLoader());
    }

    private static URL location(Class<?> type) {
        return type.getProtectionDomain().getCodeSource().getLocation();
    }

    private static void call(ClassLoader application, String method) throws Exception {
        Method step = application.loadClass(FrameLog.class.getName()).getDeclaredMethod(method);
        step.setAccessible(true);
        step.invoke(null);
    }

    private static Object frameLogger(ClassLoader application) throws Exception {
        String factory = "io.milvus.shaded.io.grpc.netty.shaded.io.netty.util.internal.logging.InternalLoggerFactory";
        return application
                .loadClass(factory)
                .getMethod("getInstance", String.class)
                .invoke(null, FrameLog.FRAME_LOGGER);
    }
}
