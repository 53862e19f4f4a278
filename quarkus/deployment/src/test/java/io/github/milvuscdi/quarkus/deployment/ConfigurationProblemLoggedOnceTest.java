package io.github.milvuscdi.quarkus.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.milvuscdi.MilvusConfigurationException;
import io.quarkus.test.QuarkusUnitTest;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A configuration problem fails the build with its message printed once: ArC logs it at ERROR, and
 * the exception chain it builds around it, which Quarkus's test framework, JUnit and Maven print again
 * and again (37 copies of one typo under {@code ./mvnw test}), carries only a pointer to that line.
 * Whoever catches {@link MilvusConfigurationException} still reads every problem in its message.
 */
class ConfigurationProblemLoggedOnceTest {

    private static final String PROBLEM = "alias 'default': milvus.connections.default.urii is not a known key";

    @RegisterExtension
    static final QuarkusUnitTest APP = new QuarkusUnitTest()
            .withEmptyApplication()
            .overrideConfigKey("milvus.connections.default.urii", "http://localhost:19530")
            // no milvus-lite to start for an application that fails to build
            .overrideConfigKey("milvus.devservices.enabled", "false")
            .setLogRecordPredicate(record -> true)
            .assertLogRecords(records -> assertThat(records)
                    .as("log records holding the problem")
                    .filteredOn(record -> String.valueOf(record.getMessage()).contains(PROBLEM))
                    .singleElement()
                    .satisfies(record -> assertThat(record.getLevel().getName()).isEqualTo("ERROR")))
            .assertException(failure -> {
                StringWriter trace = new StringWriter();
                failure.printStackTrace(new PrintWriter(trace));
                assertThat(trace.toString())
                        .as("the failure's stack trace, as the test framework and Maven print it")
                        .doesNotContain(PROBLEM)
                        .contains("io.github.milvuscdi.MilvusConfigurationException: Invalid Milvus configuration"
                                + " (1 problem), logged in full at ERROR by"
                                + " io.github.milvuscdi.internal.cdi.MilvusBuildCompatibleExtension");
                Throwable cause = failure;
                while (cause != null && !(cause instanceof MilvusConfigurationException)) {
                    cause = cause.getCause();
                }
                assertThat(cause).as("what users catch").isInstanceOf(MilvusConfigurationException.class);
                assertThat(cause.getMessage()).startsWith("Invalid Milvus configuration: " + PROBLEM);
            });

    @Test
    void theBuildFails() {
        Assertions.fail("the application must not start");
    }
}
