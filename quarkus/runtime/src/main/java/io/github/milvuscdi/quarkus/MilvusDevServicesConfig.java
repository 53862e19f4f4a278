package io.github.milvuscdi.quarkus;

import io.quarkus.runtime.annotations.ConfigPhase;
import io.quarkus.runtime.annotations.ConfigRoot;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Dev Services for Milvus: in dev mode and in tests, each alias that the application injects and
 * that has no location configured gets its own milvus-lite server.
 */
@ConfigMapping(prefix = "milvus.devservices")
@ConfigRoot(phase = ConfigPhase.BUILD_TIME)
public interface MilvusDevServicesConfig {

    /**
     * Whether Dev Services start milvus-lite for the aliases that have no location
     * ({@code uri}, {@code address}, {@code host} or {@code port}; for {@code default}, also the
     * {@code MILVUS_URI} environment variable). Read when the application is built, in dev mode and
     * in tests only; a configured location always wins. Dev Services need Python 3.10+ with
     * {@code venv} and {@code pip}, and PyPI on the first run.
     */
    @WithDefault("true")
    boolean enabled();
}
