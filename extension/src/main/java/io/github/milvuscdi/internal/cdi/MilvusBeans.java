package io.github.milvuscdi.internal.cdi;

import io.github.milvuscdi.internal.config.MilvusConfiguration;
import io.github.milvuscdi.internal.sdk.MilvusSdk;
import io.github.milvuscdi.internal.sdk.SdkCompatibility;
import io.milvus.v2.client.MilvusClientV2;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListSet;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * What the portable and the build-compatible extension share while the container is being built:
 * the aliases named at injection points, and the problems that fail the deployment. The beans
 * themselves are described by {@link io.github.milvuscdi.internal.container.BeanPlan}.
 *
 * <p>Thread-safe.
 */
final class MilvusBeans {

    static final String CLIENT_TYPE = MilvusClientV2.class.getName();

    private final Set<String> injected = new ConcurrentSkipListSet<>();

    /** Records an alias named at an injection point of {@code MilvusClientV2}. */
    void injected(String alias) {
        injected.add(alias);
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
     * Every problem that fails the deployment: an SDK that lacks what this library needs, invalid
     * keys of any alias or global key, an injected alias with no configuration.
     *
     * @param configuration the configuration read once
     * @return one sentence per problem; empty when all is well
     */
    static List<String> problems(MilvusConfiguration configuration) {
        List<String> problems = new ArrayList<>();
        // an SDK without the shaded gRPC cannot even load MilvusSdk: ask without it first
        String incompatible = SdkCompatibility.problem(MilvusBeans.class.getClassLoader());
        if (incompatible != null) {
            problems.add(incompatible);
        } else {
            List<String> missing = MilvusSdk.missing();
            if (!missing.isEmpty()) {
                problems.add(MilvusSdk.unsupported(missing));
            }
        }
        problems.addAll(configuration.problems());
        return problems;
    }
}
