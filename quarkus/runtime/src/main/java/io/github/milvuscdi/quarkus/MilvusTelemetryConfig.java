package io.github.milvuscdi.quarkus;

import io.quarkus.runtime.annotations.ConfigDocDefault;
import io.quarkus.runtime.annotations.ConfigPhase;
import io.quarkus.runtime.annotations.ConfigRoot;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithConverter;
import java.util.Optional;

/**
 * Traces and metrics of Milvus calls: {@code milvus.telemetry.*}. Documentation only, as
 * {@link MilvusConnectionsConfig}: milvus-cdi reads and validates the value.
 */
@ConfigMapping(prefix = "milvus.telemetry")
@ConfigRoot(phase = ConfigPhase.RUN_TIME)
public interface MilvusTelemetryConfig {

    /**
     * Trace and time every alias's calls when the application has an {@code OpenTelemetry} bean,
     * unless the alias's own {@code telemetry.enabled} says otherwise.
     */
    @ConfigDocDefault("true")
    @WithConverter(LenientConverters.Bool.class)
    Optional<Boolean> enabled();
}
