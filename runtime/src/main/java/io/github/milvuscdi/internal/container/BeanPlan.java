package io.github.milvuscdi.internal.container;

import io.github.milvuscdi.ConfiguringMilvusClient;
import io.github.milvuscdi.MilvusConnection;
import io.github.milvuscdi.MilvusConnections;
import io.github.milvuscdi.internal.client.ClientDecorator;
import io.github.milvuscdi.internal.client.ConnectionRegistry;
import io.github.milvuscdi.internal.client.SdkClientFactory;
import io.github.milvuscdi.internal.config.MilvusConfiguration;
import io.github.milvuscdi.internal.sdk.SdkCleanup;
import io.github.milvuscdi.internal.telemetry.Telemetry;
import io.milvus.v2.client.MilvusClientV2;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.inject.Default;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Singleton;
import java.lang.annotation.Annotation;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The beans a container gets, described once: the portable extension and the build-compatible
 * extension each map this plan onto their own CDI API, and call {@link #create} and
 * {@link #destroy} from their callbacks. Besides these synthetic beans, the runtime jar holds two
 * ordinary ones, discovered on every runtime: the readiness check and {@link ContainerLifecycle}
 * (startup connects, request-end cleanup).
 *
 * <ul>
 * <li>the registry, {@code @Internal @Singleton ConnectionRegistry}: built from the configuration
 *     read once, closes every client when the container stops;</li>
 * <li>{@code @ApplicationScoped MilvusConnections}: the same registry, for applications, behind a
 *     facade that exposes only that interface (not the container's {@code closeAll} or
 *     {@code release});</li>
 * <li>one {@code @Singleton @MilvusConnection("<alias>") MilvusClientV2} per alias (alias
 *     {@code default} also {@code @Default}), created through the registry on first use.</li>
 * </ul>
 */
public final class BeanPlan {

    /** What a planned bean is. */
    public enum Kind {
        /** The container's {@link ConnectionRegistry}. */
        REGISTRY,
        /** The application's {@link MilvusConnections}. */
        CONNECTIONS,
        /** One alias's client. */
        CLIENT
    }

    /**
     * One synthetic bean.
     *
     * @param kind what it is
     * @param alias the alias of a client; {@code null} otherwise
     * @param type its bean type besides {@code Object}
     * @param qualifiers its qualifiers besides {@code @Any}
     * @param scope its scope
     */
    public record Bean(
            Kind kind, String alias, Class<?> type, List<Annotation> qualifiers, Class<? extends Annotation> scope) {

        /** @return an id unique in the container */
        public String id() {
            return "io.github.milvuscdi." + kind.name().toLowerCase(java.util.Locale.ROOT)
                    + (alias == null ? "" : "." + alias);
        }
    }

    private BeanPlan() {}

    /**
     * The beans of a container.
     *
     * @param aliases the container's aliases
     * @return the registry, the registry for applications, and one client per alias
     */
    public static List<Bean> beans(Set<String> aliases) {
        List<Bean> beans = new ArrayList<>();
        beans.add(new Bean(
                Kind.REGISTRY, null, ConnectionRegistry.class, List.of(Internal.Literal.INSTANCE), Singleton.class));
        beans.add(new Bean(
                Kind.CONNECTIONS,
                null,
                MilvusConnections.class,
                List.of(Default.Literal.INSTANCE),
                ApplicationScoped.class));
        for (String alias : new java.util.TreeSet<>(aliases)) {
            List<Annotation> qualifiers = MilvusConnection.DEFAULT_ALIAS.equals(alias)
                    ? List.of(MilvusConnection.Literal.of(alias), Default.Literal.INSTANCE)
                    : List.of(MilvusConnection.Literal.of(alias));
            beans.add(new Bean(Kind.CLIENT, alias, MilvusClientV2.class, qualifiers, Singleton.class));
        }
        return beans;
    }

    /**
     * Creates a bean's instance; the registry's clients are traced when the container has an
     * {@code OpenTelemetry} bean (see {@link Telemetry}).
     *
     * @param kind what the bean is
     * @param alias the client's alias, for {@link Kind#CLIENT}
     * @param configuration the configuration, read once; used by {@link Kind#REGISTRY}
     * @param events the container's events, to fire {@link ConfiguringMilvusClient}; used by {@link Kind#REGISTRY}
     * @param beans the container's beans, to find its {@code OpenTelemetry}; used by {@link Kind#REGISTRY};
     *        {@code null} for no telemetry
     * @param registry the container's registry, for the other kinds
     * @return the instance
     */
    public static Object create(
            Kind kind,
            String alias,
            Supplier<MilvusConfiguration> configuration,
            Supplier<Event<Object>> events,
            Supplier<Instance<Object>> beans,
            Supplier<ConnectionRegistry> registry) {
        switch (kind) {
            case REGISTRY:
                MilvusConfiguration read = configuration.get();
                return new ConnectionRegistry(
                        read,
                        true,
                        new SdkClientFactory(
                                (name, builder) -> events.get()
                                        .select(ConfiguringMilvusClient.class, MilvusConnection.Literal.of(name))
                                        .fire(new ConfiguringMilvusClient(name, builder)),
                                beans == null ? ClientDecorator.NONE : Telemetry.decorator(read, beans),
                                name -> beans == null ? null : NamedCredentials.find(beans.get(), name)));
            case CONNECTIONS:
                return new ApplicationConnections(registry.get());
            default:
                return registry.get().connect(alias);
        }
    }

    /**
     * Destroys a bean's instance: the registry closes every client. Destroying a client bean closes
     * nothing: the client is shared by every bean of the application, and an application's
     * {@code Instance.destroy(client)} reaches this step on Quarkus (ArC runs the disposer of a
     * {@code @Singleton} synthetic bean); the registry closes it when the application stops.
     *
     * @param kind what the bean is
     * @param alias the client's alias, for {@link Kind#CLIENT}
     * @param instance the instance
     * @param registry the container's registry, for {@link Kind#CLIENT}
     */
    public static void destroy(Kind kind, String alias, Object instance, Supplier<ConnectionRegistry> registry) {
        if (kind == Kind.REGISTRY) {
            ((ConnectionRegistry) instance).closeAll();
            SdkCleanup.releaseFrameLog(); // the server-wide logger keeps nothing of this application
        }
    }
}
