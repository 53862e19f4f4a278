package io.github.milvuscdi.it.quarkus;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * An application that injects an alias with no configuration cannot be built: Quarkus runs the
 * build-compatible extension's validation while it builds the application, and the build fails
 * with our message naming the key to set, printed in full once by the build and once at the end of
 * Maven's failure report, not in every exception around it. Built with Maven from
 * {@code src/it/unconfigured-alias}.
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
        // once in ArC's ERROR line, and once more where Maven ends its failure report with the message of
        // the deepest cause; the exception chain between them only points to the ERROR line
        List<String> lines = build.output()
                .lines()
                .filter(line -> line.contains("alias 'reports': no location is configured"))
                .toList();
        assertThat(lines)
                .as("the lines holding the problem")
                .hasSize(2)
                .anyMatch(line -> line.startsWith(
                        "[ERROR] [io.github.milvuscdi.internal.cdi.MilvusBuildCompatibleExtension] Invalid Milvus"));
        assertThat(build.output())
                .contains("Invalid Milvus configuration (1 problem), logged in full at ERROR by "
                        + "io.github.milvuscdi.internal.cdi.MilvusBuildCompatibleExtension");
    }
}
