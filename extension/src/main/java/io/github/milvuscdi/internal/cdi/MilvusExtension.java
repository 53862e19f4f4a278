package io.github.milvuscdi.internal.cdi;

import io.github.milvuscdi.MilvusConfigurationException;
import io.github.milvuscdi.MilvusConnection;
import io.github.milvuscdi.internal.client.ConnectionRegistry;
import io.github.milvuscdi.internal.config.MilvusConfiguration;
import io.github.milvuscdi.internal.container.BeanPlan;
import io.github.milvuscdi.internal.container.Internal;
import io.milvus.v2.client.MilvusClientV2;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.spi.AfterBeanDiscovery;
import jakarta.enterprise.inject.spi.Bean;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.enterprise.inject.spi.Extension;
import jakarta.enterprise.inject.spi.InjectionPoint;
import jakarta.enterprise.inject.spi.ProcessBean;
import jakarta.enterprise.inject.spi.ProcessInjectionPoint;
import jakarta.inject.Provider;
import java.lang.annotation.Annotation;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The portable extension (CDI Full: Weld on Payara, WildFly, Helidon and Weld SE).
 *
 * <p>Collects the aliases named at {@code @MilvusConnection} injection points and the named beans
 * (which {@code credentials-provider} keys may name), reads the
 * configuration once while the application is deployed (on the deploying thread, which sees the
 * application's own configuration), and either adds the beans of the {@link BeanPlan} or reports
 * every problem as one definition error, after bean discovery: the deployment then fails before
 * {@code AfterDeploymentValidation}, where servers collect health checks, so a failed deployment
 * leaves no readiness check behind. Nothing connects while the container boots.
 */
public class MilvusExtension implements Extension {

    private final DeploymentFindings findings = new DeploymentFindings();

    void collect(@Observes ProcessInjectionPoint<?, ?> event) {
        InjectionPoint point = event.getInjectionPoint();
        if (isClient(point.getType())) {
            String alias = alias(point.getQualifiers());
            if (alias != null) {
                findings.injected(alias);
            }
        }
    }

    /** Records the named beans, which a {@code credentials-provider} key may name. */
    void named(@Observes ProcessBean<?> event) {
        Bean<?> bean = event.getBean();
        if (bean.getName() != null) {
            List<String> typeNames = new ArrayList<>();
            for (Type type : bean.getTypes()) {
                Type raw = type instanceof ParameterizedType parameterized ? parameterized.getRawType() : type;
                if (raw instanceof Class<?> named) {
                    typeNames.add(named.getName());
                }
            }
            findings.bean(
                    bean.getName(),
                    typeNames,
                    bean.isAlternative(),
                    bean.getBeanClass().getName());
        }
    }

    void register(@Observes AfterBeanDiscovery event, BeanManager manager) {
        MilvusConfiguration read = findings.readConfiguration();
        List<String> problems = findings.problems(read);
        if (!problems.isEmpty()) {
            // Reported here, not in AfterDeploymentValidation: a definition error ends the deployment
            // before any extension collects health checks there (WildFly's does, and never removes
            // the check of a deployment that failed after it: readiness stayed DOWN until a reload).
            event.addDefinitionError(new MilvusConfigurationException(problems));
            return;
        }
        Supplier<ConnectionRegistry> registry = () -> manager.createInstance()
                .select(ConnectionRegistry.class, Internal.Literal.INSTANCE)
                .get();
        for (BeanPlan.Bean bean : BeanPlan.beans(read.aliases())) {
            Set<Annotation> qualifiers = new HashSet<>(bean.qualifiers());
            qualifiers.add(Any.Literal.INSTANCE);
            event.addBean()
                    .types(bean.type(), Object.class)
                    .qualifiers(qualifiers)
                    .scope(bean.scope())
                    .id(bean.id())
                    .createWith(context -> BeanPlan.create(
                            bean.kind(),
                            bean.alias(),
                            () -> read,
                            manager::getEvent,
                            manager::createInstance,
                            registry))
                    .destroyWith(
                            (instance, context) -> BeanPlan.destroy(bean.kind(), bean.alias(), instance, registry));
        }
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
