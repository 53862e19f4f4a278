package io.github.milvuscdi.backends;

import io.github.milvuscdi.launcher.MilvusBackend;
import io.github.milvuscdi.launcher.MilvusServerOptions;
import io.github.milvuscdi.launcher.MilvusTestServer;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.util.EnumMap;
import java.util.Map;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.spi.ConfigProviderResolver;
import org.jboss.weld.environment.se.Weld;
import org.jboss.weld.environment.se.WeldContainer;

/**
 * What the backend tests share: a Weld SE container with the portable extension, as the EE servers
 * run it, a MicroProfile Config for it, and one server per backend for a test class.
 */
final class Backends {

    private Backends() {}

    /** Makes {@code properties} the application's configuration until the returned handle is closed. */
    static AutoCloseable useConfig(Map<String, String> properties) {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        ConfigProviderResolver resolver = ConfigProviderResolver.instance();
        releaseConfig(resolver, loader);
        Config config = new SmallRyeConfigBuilder()
                .withSources(new PropertiesConfigSource(properties, "test", 500))
                .build();
        resolver.registerConfig(config, loader);
        return () -> releaseConfig(resolver, loader);
    }

    private static void releaseConfig(ConfigProviderResolver resolver, ClassLoader loader) {
        try {
            resolver.releaseConfig(resolver.getConfig(loader));
        } catch (RuntimeException none) {
            // nothing registered
        }
    }

    /**
     * Boots Weld SE as an application does: bean discovery finds Milvus CDI's jars (their
     * {@code beans.xml}: the readiness check, the registry) and its portable extension (its
     * {@code META-INF/services}), so the tests name no class of the library but the public API.
     * {@code beans} are the test's own. As strict as the EE servers ({@code relaxed=false}).
     */
    static WeldContainer boot(Class<?>... beans) {
        return new Weld("milvus-cdi-backends-" + System.nanoTime())
                .property("org.jboss.weld.construction.relaxed", false)
                .addBeanClasses(beans)
                .initialize();
    }

    /**
     * The client tuning each backend wants in configuration: milvus-lite answers the SDK's idle
     * keep-alive pings with GOAWAY too_many_pings (testing/README.md), Milvus accepts them.
     */
    static void tune(Map<String, String> config, String alias, MilvusBackend backend) {
        if (backend == MilvusBackend.MILVUS_LITE) {
            config.put("milvus.connections." + alias + ".keep-alive-without-calls", "false");
        }
    }

    /** One server per backend, started on first use, all closed by {@link #close()}. */
    static final class PerBackend implements AutoCloseable {
        private final String name;
        private final MilvusServerOptions options;
        private final Map<MilvusBackend, MilvusTestServer> servers = new EnumMap<>(MilvusBackend.class);

        PerBackend(String name, MilvusServerOptions options) {
            this.name = name;
            this.options = options;
        }

        synchronized MilvusTestServer server(MilvusBackend backend) {
            return servers.computeIfAbsent(backend, key -> key.start(name, options));
        }

        @Override
        public synchronized void close() {
            servers.values().forEach(MilvusTestServer::close);
            servers.clear();
        }
    }
}
