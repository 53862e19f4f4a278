package io.github.milvuscdi.quarkus;

import io.quarkus.runtime.annotations.ConfigDocDefault;
import io.quarkus.runtime.annotations.ConfigPhase;
import io.quarkus.runtime.annotations.ConfigRoot;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithConverter;
import java.time.Duration;
import java.util.Optional;

/**
 * The readiness check {@code milvus}: {@code milvus.health.*}. Documentation only, as
 * {@link MilvusConnectionsConfig}: milvus-cdi reads and validates the values at every call.
 */
@ConfigMapping(prefix = "milvus.health")
@ConfigRoot(phase = ConfigPhase.RUN_TIME)
public interface MilvusHealthConfig {

    /**
     * Whether the check probes the aliases; when {@code false} it answers {@code UP} with the single
     * entry {@code "milvus.health.enabled": false}.
     */
    @ConfigDocDefault("true")
    @WithConverter(LenientConverters.Bool.class)
    Optional<Boolean> enabled();

    /** The bound on each alias's probe; the check answers within it plus a little. */
    @ConfigDocDefault("2s")
    @WithConverter(LenientConverters.Time.class)
    Optional<Duration> timeout();
}
