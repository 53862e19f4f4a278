package io.github.milvuscdi.internal.cdi;

import io.github.milvuscdi.MilvusConnection;
import io.github.milvuscdi.internal.client.ConnectionRegistry;
import io.github.milvuscdi.internal.config.MilvusConfiguration;
import io.github.milvuscdi.internal.container.BeanPlan;
import io.github.milvuscdi.internal.container.Internal;
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
import jakarta.enterprise.inject.build.compatible.spi.Validation;
import jakarta.enterprise.inject.spi.CDI;
import jakarta.enterprise.lang.model.AnnotationInfo;
import jakarta.enterprise.lang.model.AnnotationMember;
import jakarta.enterprise.lang.model.types.Type;
import jakarta.inject.Provider;
import java.lang.annotation.Annotation;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * The build-compatible extension (CDI Lite: ArC in Quarkus, where it runs at build time). Weld
 * skips it because {@link MilvusExtension} is present; both add the beans of the {@link BeanPlan}.
 *
 * <p>The aliases are fixed when the application is built; their keys are read once when the
 * application starts (the registry is created then, by {@code ContainerLifecycle}), so environment
 * variables override them.
 */
@SkipIfPortableExtensionPresent(MilvusExtension.class)
public class MilvusBuildCompatibleExtension implements BuildCompatibleExtension {

    static final String KIND = "kind";
    static final String ALIAS = "alias";
    static final String ALIASES = "aliases";

    private final DeploymentFindings findings = new DeploymentFindings();
    /** The configuration as the application is built, read once in {@link #synthesize}. */
    private MilvusConfiguration buildTime;

    /**
     * Collects the aliases named at injection points of {@code MilvusClientV2}, and the named beans, which a
     * {@code credentials-provider} key may name. ArC calls it again for the synthetic beans of Quarkus extensions
     * once they are added, before {@link #validate}, so a provider made that way is seen too.
     */
    @Registration(types = Object.class)
    public void collect(BeanInfo bean) {
        if (bean.name() != null) {
            List<String> typeNames = new ArrayList<>();
            for (Type type : bean.types()) {
                if (type.isClass()) {
                    typeNames.add(type.asClass().declaration().name());
                } else if (type.isParameterizedType()) {
                    typeNames.add(type.asParameterizedType().declaration().name());
                }
            }
            String declaring = bean.declaringClass() == null
                    ? "a synthetic bean" // the lang model has no class for it
                    : bean.declaringClass().name();
            findings.bean(bean.name(), typeNames, bean.isAlternative(), declaring);
        }
        for (InjectionPointInfo point : bean.injectionPoints()) {
            if (isClient(point.type())) {
                String alias = alias(point.qualifiers());
                if (alias != null) {
                    findings.injected(alias);
                }
            }
        }
    }

    /** Adds the beans of the plan. */
    @Synthesis
    public void synthesize(SyntheticComponents components) {
        buildTime = findings.readConfiguration();
        Set<String> aliases = buildTime.aliases();
        String[] owned = aliases.toArray(new String[0]);
        for (BeanPlan.Bean planned : BeanPlan.beans(aliases)) {
            @SuppressWarnings({"unchecked", "rawtypes"})
            var bean = components
                    .addBean((Class) planned.type())
                    .type(planned.type())
                    .scope(planned.scope())
                    .withParam(KIND, planned.kind().name())
                    .withParam(ALIASES, owned)
                    .createWith(Creator.class)
                    .disposeWith(Disposer.class);
            if (planned.alias() != null) {
                bean.withParam(ALIAS, planned.alias());
            }
            for (Annotation qualifier : planned.qualifiers()) {
                bean.qualifier(qualifier);
            }
        }
    }

    /**
     * Reports every problem as one error, which ArC logs in full once; the exception it then wraps
     * repeats only a pointer to that line ({@link LoggedConfigurationException}).
     */
    @Validation
    public void validate(Messages messages) {
        List<String> problems = findings.problems(buildTime).stream()
                .map(problem -> DeploymentFindings.withBuildTimeAdvice(problem, buildTime.aliases()))
                .toList();
        if (!problems.isEmpty()) {
            messages.error(new LoggedConfigurationException(problems));
        }
    }

    static boolean isClient(Type type) {
        if (type.isClass()) {
            return DeploymentFindings.CLIENT_TYPE.equals(
                    type.asClass().declaration().name());
        }
        if (type.isParameterizedType()) {
            String raw = type.asParameterizedType().declaration().name();
            List<Type> arguments = type.asParameterizedType().typeArguments();
            return (Instance.class.getName().equals(raw)
                            || Provider.class.getName().equals(raw))
                    && arguments.size() == 1
                    && arguments.get(0).isClass()
                    && DeploymentFindings.CLIENT_TYPE.equals(
                            arguments.get(0).asClass().declaration().name());
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

    private static Supplier<ConnectionRegistry> registry(Instance<Object> lookup) {
        return () -> lookup.select(ConnectionRegistry.class, Internal.Literal.INSTANCE)
                .get();
    }

    /** Creates any bean of the plan; the registry reads the configuration now, at run time. */
    public static final class Creator implements SyntheticBeanCreator<Object> {
        @Override
        public Object create(Instance<Object> lookup, Parameters params) {
            Set<String> owned = Set.of(params.get(ALIASES, String[].class));
            return BeanPlan.create(
                    BeanPlan.Kind.valueOf(params.get(KIND, String.class)),
                    params.get(ALIAS, String.class, null),
                    () -> MilvusConfiguration.read(ConfigProvider.getConfig(), owned),
                    () -> CDI.current().getBeanContainer().getEvent(),
                    () -> lookup,
                    registry(lookup));
        }
    }

    /** Destroys any bean of the plan. */
    public static final class Disposer implements SyntheticBeanDisposer<Object> {
        @Override
        public void dispose(Object instance, Instance<Object> lookup, Parameters params) {
            BeanPlan.destroy(
                    BeanPlan.Kind.valueOf(params.get(KIND, String.class)),
                    params.get(ALIAS, String.class, null),
                    instance,
                    registry(lookup));
        }
    }
}
