package io.github.milvuscdi.it.quarkus;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.milvuscdi.MilvusConnection;
import io.milvus.v2.client.MilvusClientV2;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import org.junit.jupiter.api.Test;

/**
 * On Quarkus, credentials in the uri ({@code http://root:S3cret@host:port}) and in the user and
 * password keys reach neither the readiness answer nor the log, with Milvus's and this library's
 * loggers at every level.
 */
@QuarkusTest
@TestProfile(CredentialsNeverShownTest.EveryLevel.class)
@WithTestResource(CredentialsNeverShownTest.CredentialsInKeys.class)
class CredentialsNeverShownTest {

    static final String SECRET = "S3cret";

    /** Milvus's loggers and this library's at every level. */
    public static class EveryLevel implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "quarkus.log.min-level", "TRACE",
                    "quarkus.log.category.\"io.milvus\".level", "TRACE",
                    "quarkus.log.category.\"io.github.milvuscdi\".level", "TRACE");
        }
    }

    /** The servers of {@link MilvusLiteResource}, with credentials in the uri of one and in keys of the other. */
    public static class CredentialsInKeys extends MilvusLiteResource {
        @Override
        public Map<String, String> start() {
            Map<String, String> config = new java.util.LinkedHashMap<>(super.start());
            config.computeIfPresent(
                    "milvus.connections.archive.uri", (key, uri) -> uri.replace("://", "://root:" + SECRET + "@"));
            config.put("milvus.connections.default.user", "root");
            config.put("milvus.connections.default.password", SECRET);
            return config;
        }
    }

    @Inject
    @MilvusConnection("archive")
    MilvusClientV2 archive;

    @Inject
    MilvusClientV2 current;

    @Test
    void neitherTheReadinessAnswerNorTheLogShowsTheCredentials() {
        List<String> seen = new CopyOnWriteArrayList<>();
        Handler everything = new Handler() {
            @Override
            public void publish(LogRecord record) {
                seen.add(record.getLoggerName() + " " + new SimpleFormatter().format(record));
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        everything.setLevel(Level.ALL);
        Logger root = LogManager.getLogManager().getLogger("");
        root.addHandler(everything);
        try {
            assertThat(current.listCollections().getCollectionNames()).isNotNull();
            assertThat(archive.listCollections().getCollectionNames()).isNotNull();
            String readiness =
                    given().when().get("/q/health/ready").then().extract().asString();
            assertThat(readiness).contains("archive").contains("default");
            seen.add(readiness);
        } finally {
            root.removeHandler(everything);
        }
        assertThat(seen).as("log records").hasSizeGreaterThan(1);
        assertThat(seen.stream().flatMap(String::lines).filter(line -> line.contains(SECRET)))
                .as("lines of the readiness answer and of the log that hold the secret")
                .isEmpty();
    }
}
