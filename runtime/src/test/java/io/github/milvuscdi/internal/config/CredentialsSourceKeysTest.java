package io.github.milvuscdi.internal.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.milvuscdi.MilvusConfigurationException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The keys of credentials that may change ({@code token-file}, {@code password-file} with {@code user} or
 * {@code user-file}, {@code credentials-provider}):
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
                        + "' is set without a user; also set milvus.connections.a.user (or milvus.connections.a"
                        + ".user-file), or put user:password in milvus.connections.a.token-file");
    }

    @Test
    void aUserFileWithAPasswordFileIsOnePairSourceShownByItsPaths() throws Exception {
        Path user = Files.writeString(folder.resolve("username"), "search\n");
        Path password = Files.writeString(folder.resolve("password"), SECRET);
        ConnectionSettings settings = reader.read(
                "a",
                Map.of("uri", "http://db:19530", "user-file", user.toString(), "password-file", password.toString()));

        assertThat(settings.credentialsSource())
                .isEqualTo(
                        new CredentialsSource(ConnectionKey.PASSWORD_FILE, null, user.toString(), password.toString()));
        assertThat(settings.user())
                .as("a user name that may change is not shown")
                .isNull();
        assertThat(settings.authorization()).isNull();
        assertThat(settings.toString())
                .contains("credentials=milvus.connections.a.user-file=" + user + " and milvus.connections.a"
                        + ".password-file=" + password)
                .doesNotContain(SECRET);
    }

    @Test
    void aUserFileWithoutAPasswordFileSaysWhatToSet() throws Exception {
        Path user = Files.writeString(folder.resolve("username"), "search");
        assertThat(problem(Map.of("uri", "http://db:19530", "user-file", user.toString())))
                .isEqualTo("Invalid Milvus configuration: alias 'a': milvus.connections.a.user-file='" + user
                        + "' is set without milvus.connections.a.password-file; set it to the file holding that"
                        + " user's password (a Kubernetes basic-auth secret's 'password'), or remove"
                        + " milvus.connections.a.user-file");
    }

    @Test
    void aUserFileBesideAUserIsRefused() throws Exception {
        Path user = Files.writeString(folder.resolve("username"), "search");
        Map<String, String> keys = Map.of(
                "uri",
                "http://db:19530",
                "user",
                "search",
                "user-file",
                user.toString(),
                "password-file",
                secretFile().toString());
        assertThat(problem(keys))
                .isEqualTo("Invalid Milvus configuration: alias 'a': milvus.connections.a.user-file='" + user
                        + "' is set beside milvus.connections.a.user; the user name comes from one place: remove"
                        + " milvus.connections.a.user (a fixed name) or milvus.connections.a.user-file (a name that"
                        + " may change)");
    }

    @Test
    void aUserFileHoldingAColonIsRefusedWithoutQuotingIt() throws Exception {
        Path pasted = Files.writeString(folder.resolve("username"), "search:" + SECRET);
        Map<String, String> keys = Map.of(
                "uri",
                "http://db:19530",
                "user-file",
                pasted.toString(),
                "password-file",
                secretFile().toString());
        assertThat(problem(keys))
                .isEqualTo("Invalid Milvus configuration: alias 'a': milvus.connections.a.user-file='" + pasted
                        + "' holds a ':', which separates user and password; expected a file holding only the user"
                        + " name (its password goes in milvus.connections.a.password-file)");
    }

    @Test
    void aUserFileMissingOrEmptyAtDeploymentNamesAliasKeyPathAndFix() throws Exception {
        Path missing = folder.resolve("absent");
        Path empty = Files.writeString(folder.resolve("empty"), "\n");
        String password = secretFile().toString();
        assertThat(problem(
                        Map.of("uri", "http://db:19530", "user-file", missing.toString(), "password-file", password)))
                .isEqualTo("Invalid Milvus configuration: alias 'a': milvus.connections.a.user-file='" + missing
                        + "' does not exist or cannot be read; expected the path of a readable file holding the user"
                        + " name (e.g. a Kubernetes secret's mount, or a Docker secret under /run/secrets/)");
        assertThat(problem(Map.of("uri", "http://db:19530", "user-file", empty.toString(), "password-file", password)))
                .isEqualTo("Invalid Milvus configuration: alias 'a': milvus.connections.a.user-file='" + empty
                        + "' is empty; expected a file holding the user name");
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
