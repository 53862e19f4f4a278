package io.github.milvuscdi.backends;

import io.github.milvuscdi.testing.MilvusBackend;
import io.github.milvuscdi.testing.MilvusServerOptions;
import io.github.milvuscdi.testing.MilvusTestServer;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import jakarta.enterprise.inject.spi.Extension;
import java.util.EnumMap;
import java.util.Map;
import java.util.ServiceLoader;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.spi.ConfigProviderResolver;
import org.jboss.weld.environment.se.Weld;
import org.jboss.weld.environment.se.WeldContainer;

/**
 * What the backend tests share: a Weld SE container with the portable extension, as the EE servers
 * run it, a MicroProfile Config for it, and one server per backend for a test class.
 */
final class Backends {

    private Backends() {
    }

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
     * Boots Weld SE with {@code beans} and Milvus CDI's portable extension, discovery off, as strict as
     * the EE servers. The extension is found as a CDI Full container finds it, through the jar's
     * {@code META-INF/services/jakarta.enterprise.inject.spi.Extension}, not by its class name.
     */
    static WeldContainer boot(Class<?>... beans) {
        Weld weld = new Weld("milvus-cdi-backends-" + System.nanoTime())
                .disableDiscovery()
                .property("org.jboss.weld.construction.relaxed", false)
                .addBeanClasses(beans);
        int found = 0;
        for (Extension extension : ServiceLoader.load(Extension.class)) {
            if (extension.getClass().getName().startsWith("io.github.milvuscdi.")) {
                weld.addExtension(extension);
                found++;
            }
        }
        if (found != 1) {
            throw new IllegalStateException("Expected Milvus CDI's one portable extension in"
                    + " META-INF/services/jakarta.enterprise.inject.spi.Extension, found " + found);
        }
        return weld.initialize();
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
