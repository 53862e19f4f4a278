package io.github.milvuscdi.it.quarkus;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * An application that injects an alias with no configuration cannot be built: Quarkus runs the
 * build-compatible extension's validation while it builds the application, and the build fails
 * with our message naming the key to set. Built with Maven from {@code src/it/unconfigured-alias}.
 */
class UnconfiguredAliasIT {

    @Test
    void theBuildFailsNamingTheKeyToSet() throws Exception {
        SmallApplicationBuild.Result build = SmallApplicationBuild.build("unconfigured-alias");

        assertThat(build.exitCode()).as(build.output()).isNotZero();
        assertThat(build.output())
                .as("the build output")
                .contains("Invalid Milvus configuration: alias 'reports': no location is configured; set "
                        + "milvus.connections.reports.uri (e.g. http://localhost:19530), or "
                        + "milvus.connections.reports.address (host:port), or milvus.connections.reports.host and "
                        + "milvus.connections.reports.port")
                .contains("BUILD FAILURE");
    }
}
