package io.github.milvuscdi.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** Secrets made up per run are found in any form a client sends them, and never shown by the check. */
class TestSecretsTest {

    private final TestSecrets secrets = TestSecrets.generate();

    @Test
    void eachRunHasItsOwnSecretsAndToStringShowsNone() {
        assertThat(secrets.password()).isNotEqualTo(TestSecrets.generate().password());
        assertThat(secrets.toString()).doesNotContain(secrets.password()).doesNotContain(secrets.token());
    }

    @Test
    void aSecretAsWrittenOrAsSentIsFoundAndTheFailureHidesIt() {
        String header =
                Base64.getEncoder().encodeToString(("root:" + secrets.password()).getBytes(StandardCharsets.UTF_8));
        secrets.assertNoneIn("a clean log", "Connected to 127.0.0.1:19530");

        assertThatThrownBy(() -> secrets.assertNoneIn("the log", "authorization: " + header))
                .isInstanceOf(AssertionError.class)
                .hasMessage("the log shows base64(user:password): authorization: <base64(user:password)>");
        assertThatThrownBy(() -> secrets.assertNoneIn("the report", "token=" + secrets.token()))
                .hasMessage("the report shows the token: token=<the token>");
    }
}
