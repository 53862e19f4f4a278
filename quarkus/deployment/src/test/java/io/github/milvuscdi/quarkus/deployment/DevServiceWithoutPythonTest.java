package io.github.milvuscdi.quarkus.deployment;

import static io.restassured.RestAssured.when;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.github.milvuscdi.MilvusConnection;
import io.milvus.v2.client.MilvusClientV2;
import io.quarkus.test.QuarkusUnitTest;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * No Python (surefire runs this class with {@code MILVUS_LITE_PYTHON} pointing nowhere and an empty
 * milvus-lite cache): the application starts anyway, one error line says what to install, and the
 * readiness check is DOWN naming the reason.
 */
class DevServiceWithoutPythonTest {

    private static final String INSTALL = "Install Python 3.10 or newer with venv and pip";

    @RegisterExtension
    static final QuarkusUnitTest APP = new QuarkusUnitTest()
            .withEmptyApplication()
            .setLogRecordPredicate(record -> record.getLoggerName().startsWith("io.github.milvuscdi.quarkus"))
            .assertLogRecords(records -> assertThat(records)
                    .filteredOn(record -> record.getLevel().intValue() >= Level.SEVERE.intValue())
                    .singleElement()
                    .satisfies(record -> assertThat(record.getMessage())
                            .contains("alias 'search'", INSTALL, "milvus.devservices.enabled=false")));

    @Inject
    @MilvusConnection("search")
    Instance<MilvusClientV2> search;

    @Test
    void theApplicationStartsAndReadinessNamesWhatToInstall() {
        when().get("/q/health/ready")
                .then()
                .statusCode(503)
                .body("checks.find { it.name == 'milvus-devservices' }.status", equalTo("DOWN"))
                .body(
                        "checks.find { it.name == 'milvus-devservices' }.data.search",
                        containsString("not started: the Milvus Dev Service for alias 'search' could not start"
                                + " milvus-lite: "))
                .body("checks.find { it.name == 'milvus-devservices' }.data.search", containsString(INSTALL))
                // the alias itself is down too, and connects nowhere else meanwhile
                .body("checks.find { it.name == 'milvus' }.status", equalTo("DOWN"))
                .body(
                        "checks.find { it.name == 'milvus' }.data.search",
                        containsString("DOWN milvus-dev-service-not-started.invalid:19530"));
    }
}
