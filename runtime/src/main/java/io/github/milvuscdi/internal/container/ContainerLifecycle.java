package io.github.milvuscdi.internal.container;

import io.github.milvuscdi.internal.client.ConnectionRegistry;
import io.github.milvuscdi.internal.config.ConnectionSettings;
import io.github.milvuscdi.internal.sdk.SdkCleanup;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.context.Destroyed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.Startup;
import jakarta.enterprise.inject.Instance;
import java.util.logging.Logger;

/**
 * What the container does for Milvus when the application starts and after each request, on both
 * the portable and the build-compatible path (an ordinary bean of the runtime jar).
 *
 * <ul>
 * <li>At startup, the registry is created, on the thread that starts the application, and the
 *     aliases with {@code connect-on-startup=true} connect: the first failure stops the application.</li>
 * <li>When a request ends, the SDK's Netty thread-locals are removed from its thread, which on an
 *     application server outlives the application ({@link SdkCleanup#removeThreadLocals()}).</li>
 * </ul>
 */
@Dependent
public class ContainerLifecycle {

    private static final Logger LOG = Logger.getLogger(ContainerLifecycle.class.getName());

    void started(@Observes Startup startup, @Internal Instance<ConnectionRegistry> registries) {
        if (!registries.isResolvable()) {
            return; // the runtime jar without the extension: nothing to start
        }
        ConnectionRegistry registry = registries.get();
        for (String alias : registry.containerAliases()) {
            ConnectionSettings settings = registry.settings(alias).orElse(null);
            if (settings != null && settings.connectOnStartup()) {
                LOG.info(() -> "Connecting Milvus alias '" + alias + "' to " + settings.address()
                        + " at startup (connect-on-startup=true)");
                registry.connect(alias);
            }
        }
    }

    void requestEnded(@Observes @Destroyed(RequestScoped.class) Object request) {
        SdkCleanup.removeThreadLocals();
    }
}
