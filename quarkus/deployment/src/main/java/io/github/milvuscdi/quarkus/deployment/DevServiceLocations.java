package io.github.milvuscdi.quarkus.deployment;

import io.github.milvuscdi.internal.config.AliasDiscovery;
import io.github.milvuscdi.internal.config.ConnectionKey;
import io.smallrye.config.ConfigSourceInterceptor;
import io.smallrye.config.ConfigSourceInterceptorContext;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.Priorities;
import jakarta.annotation.Priority;
import java.util.Set;

/**
 * Tells the build-time configuration that the aliases given a Dev Service will have a {@code uri}.
 *
 * <p>milvus-cdi-extension checks every alias while Quarkus builds the application, and an injected
 * alias other than {@code default} with no location fails the build. In dev mode and in tests the
 * Dev Service gives it one, but only when the application starts, after that check. So, during the
 * build only, this interceptor answers {@code milvus.connections.<alias>.uri} for exactly those
 * aliases with {@value #PLACEHOLDER}, which passes the check; the application, when it runs, reads
 * the Dev Service's real URI. It is registered as a service of this deployment module, which only
 * Quarkus's build-time configuration loads, never the application's.
 *
 * <p>{@link #plan(Set)} is set by {@link MilvusDevServicesProcessor} for each build, before ArC
 * checks the beans; a production build sets it empty, so there the library's check stays whole.
 */
@Priority(Priorities.LIBRARY + 900)
public final class DevServiceLocations implements ConfigSourceInterceptor {

    /** What the build-time check reads for a Dev Service alias's {@code uri}: never used to connect. */
    static final String PLACEHOLDER = "http://milvus-dev-service-uri-comes-at-startup.invalid:19530";

    private static final String SUFFIX = "." + ConnectionKey.URI.key();
    private static final long serialVersionUID = 1L;

    private static volatile Set<String> planned = Set.of();

    /** The aliases that get a Dev Service in the build under way; empty outside dev mode and tests. */
    static void plan(Set<String> aliases) {
        planned = Set.copyOf(aliases);
    }

    @Override
    public ConfigValue getValue(ConfigSourceInterceptorContext context, String name) {
        ConfigValue value = context.proceed(name);
        if (value != null || !name.startsWith(AliasDiscovery.PREFIX) || !name.endsWith(SUFFIX)) {
            return value;
        }
        String alias = name.substring(AliasDiscovery.PREFIX.length(), name.length() - SUFFIX.length());
        if (!planned.contains(alias)) {
            return null;
        }
        return ConfigValue.builder()
                .withName(name)
                .withValue(PLACEHOLDER)
                .withConfigSourceName("Milvus Dev Services (build time)")
                .build();
    }
}
