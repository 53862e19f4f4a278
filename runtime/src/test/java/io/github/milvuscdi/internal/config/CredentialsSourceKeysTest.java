package io.github.milvuscdi.internal.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.milvuscdi.MilvusConfigurationException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The keys of credentials that may change ({@code token-file}, {@code password-file}, {@code credentials-provider}):
 * one source, never beside the fixed key it replaces, a file that exists and holds something at deployment; every
 * problem names the alias, the key, the path and the fix, and never the file's content.
 */
class CredentialsSourceKeysTest {

    private static final String SECRET = "S3cret-in-a-file";

    @TempDir
    Path folder;

    private final ConnectionSettingsReader reader = new ConnectionSettingsReader(name -> null);

    private String problem(Map<String, String> keys) {
        try {
            reader.read("a", keys);
        } catch (MilvusConfigurationException expected) {
            return expected.getMessage();
        }
        throw new AssertionError("expected a configuration problem");
    }

    private Path secretFile() throws Exception {
        return Files.writeString(folder.resolve("token"), " root:" + SECRET + "\n");
    }

    @Test
    void aTokenFileIsTheSourceAndShowsItsPathNotItsContent() throws Exception {
        Path file = secretFile();
        ConnectionSettings settings = reader.read("a", Map.of("uri", "http://db:19530", "token-file", file.toString()));

        assertThat(settings.credentialsSource())
                .isEqualTo(new CredentialsSource(ConnectionKey.TOKEN_FILE, null, file.toString()));
        assertThat(settings.authorization()).isNull(); // nothing fixed in the channel
        assertThat(settings.hasCredentials()).isTrue();
        assertThat(settings.toString())
                .contains("credentials=milvus.connections.a.token-file=" + file)
                .doesNotContain(SECRET);
    }

    @Test
    void aPasswordFileTakesItsUserFromTheUserKey() throws Exception {
        Path file = secretFile();
        ConnectionSettings settings =
                reader.read("a", Map.of("uri", "http://db:19530", "user", "search", "password-file", file.toString()));

        assertThat(settings.credentialsSource().authorization("pw")).isEqualTo("search:pw");
        assertThat(settings.user()).isEqualTo("search");
    }

    @Test
    void aFileMissingAtDeploymentNamesAliasKeyPathAndFix() {
        Path missing = folder.resolve("absent");
        assertThat(problem(Map.of("uri", "http://db:19530", "token-file", missing.toString())))
                .isEqualTo("Invalid Milvus configuration: alias 'a': milvus.connections.a.token-file='" + missing
                        + "' does not exist or cannot be read; expected the path of a readable file holding the token"
                        + " (an API key or user:password) (e.g. a Kubernetes secret's mount, or a Docker secret under"
                        + " /run/secrets/)");
    }

    @Test
    void anEmptyFileIsRefused() throws Exception {
        Path empty = Files.writeString(folder.resolve("empty"), " \n");
        assertThat(problem(Map.of("uri", "http://db:19530", "user", "u", "password-file", empty.toString())))
                .isEqualTo("Invalid Milvus configuration: alias 'a': milvus.connections.a.password-file='" + empty
                        + "' is empty; expected a file holding the password");
    }

    @Test
    void aPasswordFileWithoutAUserSaysWhatToSet() throws Exception {
        Path file = secretFile();
        assertThat(problem(Map.of("uri", "http://db:19530", "password-file", file.toString())))
                .isEqualTo("Invalid Milvus configuration: alias 'a': milvus.connections.a.password-file='" + file
                        + "' is set without a user; also set milvus.connections.a.user, or put user:password in"
                        + " milvus.connections.a.token-file");
    }

    @Test
    void twoSourcesOrASourceBesideItsFixedKeyAreRefusedWithoutTheSecret() throws Exception {
        Path file = secretFile();
        assertThat(problem(Map.of(
                        "uri", "http://db:19530", "token-file", file.toString(), "credentials-provider", "vault")))
                .isEqualTo("Invalid Milvus configuration: alias 'a': milvus.connections.a.credentials-provider="
                        + "'vault' is set beside milvus.connections.a.token-file; the credentials come from one"
                        + " source: keep one of milvus.connections.a.token-file, milvus.connections.a"
                        + ".credentials-provider");
        assertThat(problem(Map.of("uri", "http://db:19530", "token-file", file.toString(), "token", SECRET)))
                .isEqualTo("Invalid Milvus configuration: alias 'a': milvus.connections.a.token-file='" + file
                        + "' is set beside milvus.connections.a.token; remove milvus.connections.a.token (a fixed"
                        + " value) or milvus.connections.a.token-file (a value that may change)");
    }
}
