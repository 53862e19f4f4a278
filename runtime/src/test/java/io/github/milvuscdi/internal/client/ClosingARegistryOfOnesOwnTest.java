package io.github.milvuscdi.internal.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.milvuscdi.testing.Await;
import io.github.milvuscdi.testing.MilvusLiteExtension;
import java.io.File;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * On an application server the SDK sits in the application's class loader, and the container's
 * clients keep gRPC's event loops running: closing a registry of one's own
 * ({@code MilvusConnections.create()}) must not wait for those (up to five seconds); waiting for
 * them is the container's stop alone. The library and the SDK are loaded here as a WAR's would be.
 */
class ClosingARegistryOfOnesOwnTest {

    /** Far below the five seconds the event-loop wait took; far above closing one healthy channel. */
    private static final long WELL_UNDER_THE_EVENT_LOOP_WAIT_MILLIS = 2_500;

    @RegisterExtension
    static final MilvusLiteExtension MILVUS = new MilvusLiteExtension("own-registry");

    @Test
    void closingItWaitsForItsOwnClientsOnlyWhileOthersAreOpen() throws Exception {
        try (URLClassLoader application = application()) {
            Class<?> api = application.loadClass("io.github.milvuscdi.MilvusConnections");
            Method create = api.getMethod("create");
            Method connect = api.getMethod("connect", String.class, Map.class);
            Map<String, String> server = Map.of("uri", MILVUS.server().uri());
            AutoCloseable others = (AutoCloseable) create.invoke(null); // keeps the event loops running
            try {
                connect.invoke(others, "others", server);
                AutoCloseable own = (AutoCloseable) create.invoke(null);
                connect.invoke(own, "own", server);

                long started = System.nanoTime();
                own.close();
                long millis = (System.nanoTime() - started) / 1_000_000;

                assertThat(millis)
                        .as("closing a registry of one's own while other clients are open (ms)")
                        .isLessThan(WELL_UNDER_THE_EVENT_LOOP_WAIT_MILLIS);
            } finally {
                others.close();
            }
            // Before the loader closes: the event loops must still find their classes as they end.
            Await.until(
                    () -> Thread.getAllStackTraces().keySet().stream()
                            .noneMatch(thread -> thread.getClass().getClassLoader() == application),
                    Duration.ofSeconds(15),
                    "the SDK copy's threads end");
        }
    }

    /** This library and everything it needs, in a class loader of its own, as in a WAR. */
    private static URLClassLoader application() throws Exception {
        List<URL> urls = new ArrayList<>();
        for (String entry : System.getProperty("surefire.test.class.path").split(File.pathSeparator)) {
            urls.add(Path.of(entry).toUri().toURL());
        }
        return new URLClassLoader("application", urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader());
    }
}
