package io.github.milvuscdi.internal.telemetry;

import io.github.milvuscdi.internal.client.ClientDecorator;
import io.github.milvuscdi.internal.config.GlobalKey;
import io.github.milvuscdi.internal.config.MilvusConfiguration;
import jakarta.enterprise.inject.Instance;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Decides whether a container's clients are traced and timed, and builds what does it.
 *
 * <p>The one gate to OpenTelemetry: this class names no OpenTelemetry type, and loads the classes
 * that do only after finding {@value #API} on this library's class path and an
 * {@code OpenTelemetry} bean in the container. An application without OpenTelemetry loads none of
 * them and pays one failed class lookup per container. The bean itself is created at the first
 * traced call, never while a client is being created.
 *
 * <pre>{@code
 * ClientDecorator decorator = Telemetry.decorator(configuration, beanManager::createInstance);
 * new SdkClientFactory(customizer, decorator);
 * }</pre>
 *
 * <p>Stateless and thread-safe.
 */
public final class Telemetry {

    /** The type of the bean that turns telemetry on. */
    public static final String API = "io.opentelemetry.api.OpenTelemetry";

    private static final Logger LOG = Logger.getLogger(Telemetry.class.getName());

    private Telemetry() {}

    /**
     * What decorates a container's clients: tracing and timing of every call when OpenTelemetry is on
     * the class path, the container has one {@code OpenTelemetry} bean, and the configuration does not
     * turn it off; else nothing.
     *
     * @param configuration the container's configuration, read once
     * @param beans the container's beans, asked once, now
     * @return the decorator; {@link ClientDecorator#NONE} when telemetry is off
     */
    public static ClientDecorator decorator(MilvusConfiguration configuration, Supplier<Instance<Object>> beans) {
        Class<?> api = api();
        if (api == null || !anyAliasMayTrace(configuration)) {
            return ClientDecorator.NONE;
        }
        try {
            Instance<?> found = beans.get().select(api);
            if (found.isUnsatisfied()) {
                return ClientDecorator.NONE;
            }
            if (found.isAmbiguous()) {
                LOG.warning(() -> "Milvus calls are not traced: the application has more than one " + API
                        + " bean; keep one, or set " + GlobalKey.TELEMETRY_ENABLED.key() + "=false");
                return ClientDecorator.NONE;
            }
            // Not found.get() now: the bean that produces OpenTelemetry may inject a Milvus client,
            // whose creation brought us here. It is resolved at the first traced call.
            return new OpenTelemetryDecorator(found::get, configuration.telemetryEnabled());
        } catch (RuntimeException | LinkageError unusable) {
            LOG.log(
                    Level.WARNING,
                    unusable,
                    () -> "Milvus calls are not traced: the application's " + API + " bean cannot be used: "
                            + unusable);
            return ClientDecorator.NONE;
        }
    }

    /**
     * Tells whether OpenTelemetry's API is on this library's class path: the one this library's
     * classes would link against.
     *
     * @return {@code true} when {@value #API} loads
     */
    public static boolean onClassPath() {
        return api() != null;
    }

    private static boolean anyAliasMayTrace(MilvusConfiguration configuration) {
        // aliases added at run time follow the global switch; configured ones may turn it on alone
        return configuration.telemetryEnabled()
                || configuration.aliases().stream()
                        .map(configuration::settings)
                        .anyMatch(settings -> settings.isPresent()
                                && Boolean.TRUE.equals(settings.get().telemetryEnabled()));
    }

    private static Class<?> api() {
        try {
            return Class.forName(API, false, Telemetry.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError absent) {
            return null;
        }
    }
}
