package io.github.milvuscdi.quarkus.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.milvuscdi.MilvusConfigurationException;
import io.github.milvuscdi.MilvusConnection;
import io.milvus.v2.client.MilvusClientV2;
import io.quarkus.test.QuarkusUnitTest;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * With Dev Services off, an injected alias without a location fails the build with milvus-cdi's own
 * message, as with the plain milvus-cdi-extension: the build-time stand-in location is only for
 * aliases that get a Dev Service.
 */
class DisabledDevServicesUnlocatedAliasTest {

    @RegisterExtension
    static final QuarkusUnitTest APP = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar.addClass(Reports.class))
            .overrideConfigKey("milvus.devservices.enabled", "false")
            .assertException(failure -> {
                Throwable cause = failure;
                while (cause != null && !(cause instanceof MilvusConfigurationException)) {
                    cause = cause.getCause();
                }
                assertThat(cause)
                        .as("the failure's causes hold milvus-cdi's message")
                        .isNotNull();
                assertThat(cause.getMessage())
                        .contains(
                                "alias 'reports': no location is configured;" + " set milvus.connections.reports.uri");
            });

    @Test
    void theBuildFails() {
        Assertions.fail("the application must not start");
    }

    /** Injects an alias that nothing locates. */
    @Singleton
    static class Reports {
        @Inject
        @MilvusConnection("reports")
        MilvusClientV2 reports;
    }
}
