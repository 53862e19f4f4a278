package io.github.milvuscdi.cdi;

import io.github.milvuscdi.MilvusConfigurationException;
import io.github.milvuscdi.MilvusConnection;
import io.github.milvuscdi.MilvusConnections;
import io.github.milvuscdi.client.ConnectionRegistry;
import io.milvus.v2.client.MilvusClientV2;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Startup;
import jakarta.enterprise.inject.Default;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.build.compatible.spi.BeanInfo;
import jakarta.enterprise.inject.build.compatible.spi.BuildCompatibleExtension;
import jakarta.enterprise.inject.build.compatible.spi.InjectionPointInfo;
import jakarta.enterprise.inject.build.compatible.spi.Messages;
import jakarta.enterprise.inject.build.compatible.spi.Parameters;
import jakarta.enterprise.inject.build.compatible.spi.Registration;
import jakarta.enterprise.inject.build.compatible.spi.SkipIfPortableExtensionPresent;
import jakarta.enterprise.inject.build.compatible.spi.Synthesis;
import jakarta.enterprise.inject.build.compatible.spi.SyntheticBeanCreator;
import jakarta.enterprise.inject.build.compatible.spi.SyntheticBeanDisposer;
import jakarta.enterprise.inject.build.compatible.spi.SyntheticComponents;
import jakarta.enterprise.inject.build.compatible.spi.SyntheticObserver;
import jakarta.enterprise.inject.build.compatible.spi.Validation;
import jakarta.enterprise.inject.spi.CDI;
import jakarta.enterprise.inject.spi.EventContext;
import jakarta.enterprise.lang.model.AnnotationInfo;
import jakarta.enterprise.lang.model.AnnotationMember;
import jakarta.enterprise.lang.model.types.Type;
import jakarta.inject.Provider;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Set;
import java.util.SortedSet;

/**
 * The build-compatible extension (CDI Lite: ArC in Quarkus, where it runs at build time). Weld
 * skips it because {@link MilvusExtension} is present; both delegate to {@link MilvusBeans}.
 *
 * <p>The aliases are fixed when the application is built; their keys are read when the
 * application runs, so environment variables override them.
 */
@SkipIfPortableExtensionPresent(MilvusExtension.class)
public class MilvusBuildCompatibleExtension implements BuildCompatibleExtension {

    static final String ALIAS = "alias";
    static final String ALIASES = "aliases";
    /** The registry bean's name; see {@link #synthesize}. */
    static final String REGISTRY_NAME = "io.github.milvuscdi.client.ConnectionRegistry";

    private final MilvusBeans beans = new MilvusBeans();

    /** Collects the aliases named at injection points of {@code MilvusClientV2}. */
    @Registration(types = Object.class)
    public void collect(BeanInfo bean) {
        for (InjectionPointInfo point : bean.injectionPoints()) {
            if (isClient(point.type())) {
                String alias = alias(point.qualifiers());
                if (alias != null) {
                    beans.injected(alias);
                }
            }
        }
    }

    /** Adds the registry, {@link MilvusConnections}, one client bean per alias and the startup observer. */
    @Synthesis
    public void synthesize(SyntheticComponents components) {
        SortedSet<String> aliases = beans.aliases(MilvusBeans.config());
        String[] owned = aliases.toArray(new String[0]);
        // The name keeps the registry: ArC removes unused beans at build time, and only looks at
        // injection points, so it would remove the registry (which the client creators, the
        // startup observer and the disposers only look up) unless something injects it. It never
        // removes a bean that has a name.
        components.addBean(ConnectionRegistry.class)
                .type(ConnectionRegistry.class)
                .name(REGISTRY_NAME)
                .scope(Singleton.class)
                .withParam(ALIASES, owned)
                .createWith(RegistryCreator.class)
                .disposeWith(RegistryDisposer.class);
        components.addBean(MilvusConnections.class)
                .type(MilvusConnections.class)
                .scope(ApplicationScoped.class)
                .createWith(ConnectionsCreator.class);
        for (String alias : aliases) {
            var bean = components.addBean(MilvusClientV2.class)
                    .type(MilvusClientV2.class)
                    .qualifier(MilvusConnection.Literal.of(alias))
                    .scope(Singleton.class)
                    .withParam(ALIAS, alias)
                    .createWith(ClientCreator.class)
                    .disposeWith(ClientDisposer.class);
            if (MilvusConnection.DEFAULT_ALIAS.equals(alias)) {
                bean.qualifier(Default.Literal.INSTANCE);
            }
        }
        components.addObserver(Startup.class)
                .withParam(ALIASES, owned)
                .observeWith(StartupConnector.class);
    }

    /** Reports every configuration problem as one error. */
    @Validation
    public void validate(Messages messages) {
        List<String> problems = beans.problems(MilvusBeans.config());
        if (!problems.isEmpty()) {
            messages.error(new MilvusConfigurationException(problems));
        }
    }

    static boolean isClient(Type type) {
        if (type.isClass()) {
            return MilvusBeans.CLIENT_TYPE.equals(type.asClass().declaration().name());
        }
        if (type.isParameterizedType()) {
            String raw = type.asParameterizedType().declaration().name();
            List<Type> arguments = type.asParameterizedType().typeArguments();
            return (Instance.class.getName().equals(raw) || Provider.class.getName().equals(raw))
                    && arguments.size() == 1 && arguments.get(0).isClass()
                    && MilvusBeans.CLIENT_TYPE.equals(arguments.get(0).asClass().declaration().name());
        }
        return false;
    }

    static String alias(java.util.Collection<AnnotationInfo> qualifiers) {
        boolean any = false;
        for (AnnotationInfo qualifier : qualifiers) {
            String name = qualifier.name();
            if (MilvusConnection.class.getName().equals(name)) {
                AnnotationMember value = qualifier.value();
                return value == null ? MilvusConnection.DEFAULT_ALIAS : value.asString();
            }
            any |= jakarta.enterprise.inject.Any.class.getName().equals(name);
        }
        return any ? null : MilvusConnection.DEFAULT_ALIAS;
    }

    private static ConnectionRegistry registry(Instance<Object> lookup) {
        return lookup.select(ConnectionRegistry.class).get();
    }

    /** Creates the registry; fires {@code ConfiguringMilvusClient} through the container. */
    public static final class RegistryCreator implements SyntheticBeanCreator<ConnectionRegistry> {
        @Override
        public ConnectionRegistry create(Instance<Object> lookup, Parameters params) {
            Set<String> owned = Set.of(params.get(ALIASES, String[].class));
            return MilvusBeans.newRegistry(owned, () -> CDI.current().getBeanContainer().getEvent());
        }
    }

    /** Closes what the registry still holds. */
    public static final class RegistryDisposer implements SyntheticBeanDisposer<ConnectionRegistry> {
        @Override
        public void dispose(ConnectionRegistry registry, Instance<Object> lookup, Parameters params) {
            MilvusBeans.shutdown(registry);
        }
    }

    /** Creates the application's {@link MilvusConnections}. */
    public static final class ConnectionsCreator implements SyntheticBeanCreator<MilvusConnections> {
        @Override
        public MilvusConnections create(Instance<Object> lookup, Parameters params) {
            return new MilvusConnections(registry(lookup));
        }
    }

    /** Creates an alias's client through the registry, on first use. */
    public static final class ClientCreator implements SyntheticBeanCreator<MilvusClientV2> {
        @Override
        public MilvusClientV2 create(Instance<Object> lookup, Parameters params) {
            return registry(lookup).connect(params.get(ALIAS, String.class));
        }
    }

    /** Closes an alias's client. */
    public static final class ClientDisposer implements SyntheticBeanDisposer<MilvusClientV2> {
        @Override
        public void dispose(MilvusClientV2 client, Instance<Object> lookup, Parameters params) {
            registry(lookup).release(params.get(ALIAS, String.class));
        }
    }

    /** Connects the aliases with {@code connect-on-startup=true} when the application starts. */
    public static final class StartupConnector implements SyntheticObserver<Startup> {
        @Override
        public void observe(EventContext<Startup> event, Parameters params) {
            Set<String> owned = Set.of(params.get(ALIASES, String[].class));
            MilvusBeans.connectOnStartup(registry(CDI.current()), owned);
        }
    }
}
