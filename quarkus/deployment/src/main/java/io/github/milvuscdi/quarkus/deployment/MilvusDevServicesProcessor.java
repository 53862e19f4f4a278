package io.github.milvuscdi.quarkus.deployment;

import io.github.milvuscdi.internal.config.ConnectionKey;
import io.github.milvuscdi.quarkus.MilvusDevServicesConfig;
import io.github.milvuscdi.quarkus.runtime.DevServicesReadinessCheck;
import io.quarkus.arc.deployment.AdditionalBeanBuildItem;
import io.quarkus.deployment.Capabilities;
import io.quarkus.deployment.Capability;
import io.quarkus.deployment.annotations.BuildProducer;
import io.quarkus.deployment.annotations.BuildStep;
import io.quarkus.deployment.builditem.CombinedIndexBuildItem;
import io.quarkus.deployment.builditem.DevServicesResultBuildItem;
import io.quarkus.deployment.builditem.LaunchModeBuildItem;
import io.quarkus.deployment.dev.devservices.DevServicesConfig;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.Function;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;

/**
 * Dev Services: in dev mode and in tests, one milvus-lite per alias that the application uses
 * (injects, or configures) and that has no location configured.
 *
 * <p>One server per alias rather than one shared by every alias with a database each: aliases stand
 * for different servers in production, so collections of the same name on two aliases stay apart,
 * a {@code db-name} the application configures keeps its meaning, and stopping one alias's server
 * (as a fault test may) leaves the others alone. A milvus-lite starts in about a second once its
 * environment is installed.
 */
class MilvusDevServicesProcessor {

    private static final Logger LOG = Logger.getLogger(MilvusDevServicesProcessor.class);

    /**
     * Decides which aliases get a Dev Service, before ArC checks the beans (the bean it adds makes
     * this step run first), and tells the build-time configuration about them.
     */
    @BuildStep
    MilvusDevServicesPlanBuildItem plan(
            LaunchModeBuildItem launchMode,
            DevServicesConfig quarkusDevServices,
            MilvusDevServicesConfig devServices,
            CombinedIndexBuildItem index,
            Capabilities capabilities,
            BuildProducer<AdditionalBeanBuildItem> beans) {
        DevServiceLocations.plan(Set.of());
        SortedSet<String> aliases = new TreeSet<>();
        if (!launchMode.getLaunchMode().isDevServicesSupported() || !quarkusDevServices.enabled()) {
            return new MilvusDevServicesPlanBuildItem(aliases);
        }
        if (!devServices.enabled()) {
            LOG.debug("Milvus Dev Services are off (milvus.devservices.enabled=false)");
            return new MilvusDevServicesPlanBuildItem(aliases);
        }
        Config config = ConfigProvider.getConfig();
        SortedSet<String> used = DevServiceAliases.injected(index.getIndex());
        used.addAll(DevServiceAliases.configured(config));
        aliases.addAll(DevServiceAliases.withoutLocation(config, used, System::getenv));
        DevServiceLocations.plan(aliases);
        if (!aliases.isEmpty() && capabilities.isPresent(Capability.SMALLRYE_HEALTH)) {
            beans.produce(AdditionalBeanBuildItem.unremovableOf(DevServicesReadinessCheck.class));
        }
        return new MilvusDevServicesPlanBuildItem(aliases);
    }

    /** Hands each planned alias's server to Quarkus, which starts it with the application. */
    @BuildStep
    void startMilvusLite(MilvusDevServicesPlanBuildItem plan, BuildProducer<DevServicesResultBuildItem> services) {
        Config config = ConfigProvider.getConfig();
        for (String alias : plan.aliases()) {
            services.produce(devService(config, alias));
        }
    }

    private static DevServicesResultBuildItem devService(Config config, String alias) {
        Map<String, String> fixed = new HashMap<>();
        // milvus-lite's gRPC server closes idle connections that ping (testing/README.md); the
        // application's own value, if any, wins.
        String keepAlive = ConnectionKey.KEEP_ALIVE_WITHOUT_CALLS.fullKey(alias);
        if (config.getOptionalValue(keepAlive, String.class).isEmpty()) {
            fixed.put(keepAlive, "false");
        }
        Map<String, Function<MilvusLiteDevService, String>> started = Map.of(
                DevServiceAliases.locationKey(alias),
                MilvusLiteDevService::uri,
                DevServicesReadinessCheck.STATUS_PREFIX + alias,
                MilvusLiteDevService::status);
        return DevServicesResultBuildItem.<MilvusLiteDevService>owned()
                .feature(MilvusProcessor.FEATURE)
                .serviceName(alias)
                .description("milvus-lite for Milvus alias '" + alias + "'")
                // the identity: the same alias keeps its server across live reloads
                .serviceConfig("milvus-lite:" + alias)
                .startable(() -> new MilvusLiteDevService(alias))
                .config(fixed)
                .configProvider(cast(started))
                .build();
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static <T> Map<String, Function<T, String>> cast(Map<String, ? extends Function<?, String>> map) {
        return (Map) map;
    }
}
