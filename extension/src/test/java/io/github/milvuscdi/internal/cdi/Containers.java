package io.github.milvuscdi.internal.cdi;

import io.github.milvuscdi.internal.container.ContainerLifecycle;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.util.Map;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.spi.ConfigProviderResolver;
import org.jboss.weld.environment.se.Weld;
import org.jboss.weld.environment.se.WeldContainer;

/**
 * Boots Weld SE the way the EE servers run it ({@code relaxed=false}), with one of our extensions
 * and a MicroProfile Config for the test.
 */
final class Containers {

    /** Which of our two extensions the container runs. */
    enum Path {
        /** The portable extension, as on Payara, WildFly and Weld SE. */
        PORTABLE,
        /** The build-compatible extension alone, as in Quarkus. */
        BUILD_COMPATIBLE
    }

    private Containers() {}

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
     * A Weld SE ready to boot with the given bean classes and one of our extensions. With discovery
     * off, Weld does not read {@code META-INF/services}, so the extension is added here: the portable
     * one, or the build-compatible one through {@link LitePathExtension}.
     */
    static Weld weld(Path path, Class<?>... beans) {
        Weld weld = new Weld("milvus-cdi-test-" + System.nanoTime())
                .disableDiscovery()
                .property("org.jboss.weld.construction.relaxed", false)
                .addBeanClasses(beans)
                .addBeanClass(ContainerLifecycle.class); // an ordinary bean of the runtime jar
        if (path == Path.PORTABLE) {
            weld.addExtension(new MilvusExtension());
        } else {
            weld.addBuildCompatibleExtensions(LitePathExtension.class);
        }
        return weld;
    }

    /** Boots a container. */
    static WeldContainer boot(Path path, Class<?>... beans) {
        return weld(path, beans).initialize();
    }
}
