package io.github.milvuscdi.internal.cdi;

import io.github.milvuscdi.internal.config.ConnectionKey;
import io.github.milvuscdi.internal.config.MilvusConfiguration;
import io.github.milvuscdi.internal.sdk.MilvusSdk;
import io.github.milvuscdi.internal.sdk.SdkCompatibility;
import io.milvus.v2.client.MilvusClientV2;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListSet;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * What the portable and the build-compatible extension share while the container is being built:
 * the aliases named at injection points, the named beans (for {@code credentials-provider}), and the
 * problems that fail the deployment. The beans
 * themselves are described by {@link io.github.milvuscdi.internal.container.BeanPlan}.
 *
 * <p>Thread-safe.
 */
final class DeploymentFindings {

    static final String CLIENT_TYPE = MilvusClientV2.class.getName();

    private final Set<String> injected = new ConcurrentSkipListSet<>();
    private final ProviderBeans providers = new ProviderBeans();

    /** Records an alias named at an injection point of {@code MilvusClientV2}. */
    void injected(String alias) {
        injected.add(alias);
    }

    /**
     * Records a bean of the application, which a {@code credentials-provider} key may name.
     *
     * @param name its name; {@code null} when it has none (then it is ignored)
     * @param typeNames the names of its bean types (a parameterized type by its raw type's name)
     * @param alternative whether it is an alternative
     * @param beanClass its class, or the class declaring its producer
     */
    void bean(String name, Collection<String> typeNames, boolean alternative, String beanClass) {
        providers.bean(name, typeNames, alternative, beanClass);
    }

    /**
     * Reads the configuration of the application being deployed, once, on the deploying thread.
     *
     * @return the configuration of the configured and the injected aliases
     */
    MilvusConfiguration readConfiguration() {
        return MilvusConfiguration.read(ConfigProvider.getConfig(), injected);
    }

    /**
     * Adds, to an injected alias's missing location, the advice that fits a build: on Quarkus (the
     * build-compatible path runs while {@code mvn package} builds the application) the tests pass
     * because Dev Services serve an alias with no location, so setting its {@code uri} plainly would
     * switch them off; a {@code %prod.} key is seen by the build and the packaged application only.
     * SmallRye Config lets an environment variable override a profile key, so the address where the
     * application runs comes from there.
     *
     * @param problem one problem of {@link #problems}
     * @param aliases the aliases of the configuration
     * @return the problem, with the advice when it is a missing location
     */
    static String withBuildTimeAdvice(String problem, Set<String> aliases) {
        for (String alias : aliases) {
            if (problem.startsWith("alias '" + alias + "': no location is configured;")) {
                String key = ConnectionKey.URI.fullKey(alias);
                return problem + "; on Quarkus, where Dev Services give an alias with no location a milvus-lite in"
                        + " dev mode and tests, set it for the packaged application alone: %prod." + key
                        + "=http://localhost:19530 in application.properties, overridden where the application"
                        + " runs by the environment variable " + environmentName(key);
            }
        }
        return problem;
    }

    /** MicroProfile Config's environment name of a key: upper case, every other character '_'. */
    static String environmentName(String key) {
        return key.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT);
    }

    /**
     * Every problem that fails the deployment: an SDK that lacks what this library needs, invalid
     * keys of any alias or global key, an injected alias with no configuration, a
     * {@code credentials-provider} that names no bean this library can ask.
     *
     * @param configuration the configuration read once
     * @return one sentence per problem; empty when all is well
     */
    List<String> problems(MilvusConfiguration configuration) {
        List<String> problems = new ArrayList<>();
        // an SDK without the shaded gRPC cannot even load MilvusSdk: ask without it first
        String incompatible = SdkCompatibility.problem(DeploymentFindings.class.getClassLoader());
        if (incompatible != null) {
            problems.add(incompatible);
        } else {
            List<String> missing = MilvusSdk.missing();
            if (!missing.isEmpty()) {
                problems.add(MilvusSdk.unsupported(missing));
            }
        }
        problems.addAll(configuration.problems());
        problems.addAll(providers.problems(configuration));
        return problems;
    }
}
