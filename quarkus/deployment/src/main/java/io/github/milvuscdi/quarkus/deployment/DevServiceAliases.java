package io.github.milvuscdi.quarkus.deployment;

import io.github.milvuscdi.MilvusConnection;
import io.github.milvuscdi.internal.config.AliasDiscovery;
import io.github.milvuscdi.internal.config.ConnectionKey;
import io.github.milvuscdi.internal.config.ConnectionSettingsReader;
import io.milvus.v2.client.MilvusClientV2;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.inject.Provider;
import java.util.List;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.Function;
import org.eclipse.microprofile.config.Config;
import org.jboss.jandex.AnnotationInstance;
import org.jboss.jandex.AnnotationTarget;
import org.jboss.jandex.DotName;
import org.jboss.jandex.IndexView;
import org.jboss.jandex.MethodInfo;
import org.jboss.jandex.MethodParameterInfo;
import org.jboss.jandex.Type;

/**
 * Which aliases get a Dev Service: those the application injects (read from the index, as the
 * build-compatible extension reads them from ArC) or configures, that have no location.
 */
final class DevServiceAliases {

    static final DotName MILVUS_CONNECTION = DotName.createSimple(MilvusConnection.class);
    private static final DotName INJECT = DotName.createSimple(Inject.class);
    private static final DotName ANY = DotName.createSimple(Any.class);
    private static final DotName CLIENT = DotName.createSimple(MilvusClientV2.class);
    private static final Set<DotName> WRAPPERS =
            Set.of(DotName.createSimple(Instance.class), DotName.createSimple(Provider.class));
    private static final List<ConnectionKey> LOCATION =
            List.of(ConnectionKey.URI, ConnectionKey.ADDRESS, ConnectionKey.HOST, ConnectionKey.PORT);

    private DevServiceAliases() {}

    /**
     * Returns the aliases named at injection points of {@code MilvusClientV2} (also as
     * {@code Instance<MilvusClientV2>} or {@code Provider<MilvusClientV2>}); an unqualified one is
     * {@code default}, one with {@code @Any} names none.
     */
    static SortedSet<String> injected(IndexView index) {
        SortedSet<String> aliases = new TreeSet<>();
        for (AnnotationInstance inject : index.getAnnotations(INJECT)) {
            AnnotationTarget target = inject.target();
            if (target.kind() == AnnotationTarget.Kind.FIELD) {
                addIfClient(aliases, target.asField().type(), target.asField().annotations());
            } else if (target.kind() == AnnotationTarget.Kind.METHOD) {
                MethodInfo method = target.asMethod();
                for (MethodParameterInfo parameter : method.parameters()) {
                    addIfClient(aliases, parameter.type(), parameter.declaredAnnotations());
                }
            }
        }
        // Observer and producer parameters may be injection points too; any qualified one counts.
        for (AnnotationInstance qualifier : index.getAnnotations(MILVUS_CONNECTION)) {
            AnnotationTarget target = qualifier.target();
            if (target.kind() == AnnotationTarget.Kind.METHOD_PARAMETER
                    && isClient(target.asMethodParameter().type())) {
                aliases.add(value(qualifier));
            }
        }
        return aliases;
    }

    /**
     * Keeps the aliases with no location: none of {@code uri}, {@code address}, {@code host},
     * {@code port}, and for {@code default} no {@code MILVUS_URI} either.
     *
     * @param environment reads {@code MILVUS_URI}
     */
    static SortedSet<String> withoutLocation(
            Config config, SortedSet<String> aliases, Function<String, String> environment) {
        SortedSet<String> result = new TreeSet<>();
        for (String alias : aliases) {
            boolean located = LOCATION.stream()
                    .anyMatch(key -> config.getOptionalValue(key.fullKey(alias), String.class)
                            .isPresent());
            if (MilvusConnection.DEFAULT_ALIAS.equals(alias)) {
                String env = environment.apply(ConnectionSettingsReader.ENV_URI);
                located |= env != null && !env.isBlank();
            }
            if (!located) {
                result.add(alias);
            }
        }
        return result;
    }

    /** @return the aliases configured by some key under {@code milvus.connections.} */
    static SortedSet<String> configured(Config config) {
        return AliasDiscovery.configuredAliases(config.getPropertyNames());
    }

    static String locationKey(String alias) {
        return ConnectionKey.URI.fullKey(alias);
    }

    private static void addIfClient(Set<String> aliases, Type type, List<AnnotationInstance> annotations) {
        if (!isClient(type)) {
            return;
        }
        boolean any = false;
        for (AnnotationInstance annotation : annotations) {
            if (annotation.name().equals(MILVUS_CONNECTION)) {
                aliases.add(value(annotation));
                return;
            }
            any |= annotation.name().equals(ANY);
        }
        if (!any) {
            aliases.add(MilvusConnection.DEFAULT_ALIAS);
        }
    }

    private static boolean isClient(Type type) {
        if (type.kind() == Type.Kind.CLASS) {
            return type.name().equals(CLIENT);
        }
        if (type.kind() == Type.Kind.PARAMETERIZED_TYPE && WRAPPERS.contains(type.name())) {
            List<Type> arguments = type.asParameterizedType().arguments();
            return arguments.size() == 1 && arguments.get(0).name().equals(CLIENT);
        }
        return false;
    }

    private static String value(AnnotationInstance qualifier) {
        var value = qualifier.value();
        return value == null ? MilvusConnection.DEFAULT_ALIAS : value.asString();
    }
}
