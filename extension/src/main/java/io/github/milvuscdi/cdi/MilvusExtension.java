package io.github.milvuscdi.cdi;

import io.github.milvuscdi.MilvusConfigurationException;
import io.github.milvuscdi.MilvusConnection;
import io.github.milvuscdi.MilvusConnections;
import io.github.milvuscdi.client.ConnectionRegistry;
import io.github.milvuscdi.client.GrpcThreadLocals;
import io.milvus.v2.client.MilvusClientV2;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Destroyed;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.Startup;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Default;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.spi.AfterBeanDiscovery;
import jakarta.enterprise.inject.spi.AfterDeploymentValidation;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.enterprise.inject.spi.Extension;
import jakarta.enterprise.inject.spi.InjectionPoint;
import jakarta.enterprise.inject.spi.ProcessInjectionPoint;
import jakarta.inject.Provider;
import jakarta.inject.Singleton;
import java.lang.annotation.Annotation;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.List;
import java.util.Set;
import java.util.SortedSet;

/**
 * The portable extension (CDI Full: Weld on Payara, WildFly and Weld SE).
 *
 * <p>Collects the aliases named at {@code @MilvusConnection} injection points, registers one
 * {@code @Singleton MilvusClientV2} bean per alias (configured or injected) with a destroy callback
 * that closes it, the {@link MilvusConnections} registry, and reports every configuration problem
 * as one deployment problem. Nothing connects while the container boots, except aliases with
 * {@code connect-on-startup=true}. When a request ends, the SDK's Netty thread-locals are removed from
 * its thread, which on an application server outlives the application ({@link GrpcThreadLocals}).
 */
public class MilvusExtension implements Extension {

    private final MilvusBeans beans = new MilvusBeans();
    private volatile SortedSet<String> aliases;

    void collect(@Observes ProcessInjectionPoint<?, ?> event) {
        InjectionPoint point = event.getInjectionPoint();
        if (isClient(point.getType())) {
            String alias = alias(point.getQualifiers());
            if (alias != null) {
                beans.injected(alias);
            }
        }
    }

    void register(@Observes AfterBeanDiscovery event, BeanManager manager) {
        aliases = beans.aliases(MilvusBeans.config());
        Set<String> owned = Set.copyOf(aliases);
        event.<ConnectionRegistry>addBean()
                .types(ConnectionRegistry.class, Object.class)
                .qualifiers(Default.Literal.INSTANCE, Any.Literal.INSTANCE)
                .scope(Singleton.class)
                .id(MilvusExtension.class.getName() + ".registry")
                .createWith(context -> MilvusBeans.newRegistry(owned, manager::getEvent))
                .destroyWith((registry, context) -> MilvusBeans.shutdown(registry));
        event.<MilvusConnections>addBean()
                .types(MilvusConnections.class, Object.class)
                .qualifiers(Default.Literal.INSTANCE, Any.Literal.INSTANCE)
                .scope(ApplicationScoped.class)
                .id(MilvusExtension.class.getName() + ".connections")
                .createWith(context -> new MilvusConnections(registry(manager)));
        for (String alias : aliases) {
            var bean = event.<MilvusClientV2>addBean()
                    .types(MilvusClientV2.class, Object.class)
                    .addQualifiers(MilvusConnection.Literal.of(alias), Any.Literal.INSTANCE)
                    .scope(Singleton.class)
                    .id(MilvusExtension.class.getName() + ".client." + alias)
                    .createWith(context -> registry(manager).connect(alias))
                    .destroyWith((client, context) -> registry(manager).release(alias));
            if (MilvusConnection.DEFAULT_ALIAS.equals(alias)) {
                bean.addQualifier(Default.Literal.INSTANCE);
            }
        }
        event.addObserverMethod()
                .observedType(Startup.class)
                .beanClass(MilvusExtension.class)
                .notifyWith(startup -> MilvusBeans.connectOnStartup(registry(manager), owned));
        // A request thread of the server outlives the application: see GrpcThreadLocals
        event.addObserverMethod()
                .observedType(Object.class)
                .addQualifier(Destroyed.Literal.REQUEST)
                .beanClass(MilvusExtension.class)
                .notifyWith(requestEnded -> GrpcThreadLocals.removeFromCurrentThread());
    }

    void validate(@Observes AfterDeploymentValidation event) {
        List<String> problems = beans.problems(MilvusBeans.config());
        if (!problems.isEmpty()) {
            event.addDeploymentProblem(new MilvusConfigurationException(problems));
        }
    }

    private static ConnectionRegistry registry(BeanManager manager) {
        return manager.createInstance().select(ConnectionRegistry.class).get();
    }

    static boolean isClient(Type type) {
        if (type == MilvusClientV2.class) {
            return true;
        }
        if (type instanceof ParameterizedType) {
            ParameterizedType parameterized = (ParameterizedType) type;
            Type raw = parameterized.getRawType();
            return (raw == Instance.class || raw == Provider.class)
                    && parameterized.getActualTypeArguments()[0] == MilvusClientV2.class;
        }
        return false;
    }

    /** @return the alias a point names; {@code default} when unqualified; {@code null} for {@code @Any} */
    static String alias(Set<Annotation> qualifiers) {
        for (Annotation qualifier : qualifiers) {
            if (qualifier instanceof MilvusConnection) {
                return ((MilvusConnection) qualifier).value();
            }
        }
        boolean any = qualifiers.stream().anyMatch(q -> q instanceof Any);
        return any ? null : MilvusConnection.DEFAULT_ALIAS;
    }
}
