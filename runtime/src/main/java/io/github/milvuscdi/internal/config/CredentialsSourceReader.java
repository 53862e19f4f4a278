package io.github.milvuscdi.internal.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;

/**
 * The rules of the keys of credentials that may change: {@code token-file}, {@code password-file} (with
 * {@code user} or {@code user-file}) and {@code credentials-provider}. At most one of them; none beside the fixed
 * key it replaces ({@code token}, {@code password}); a file must exist and hold something when the application
 * deploys. The content is read here only to check that: it is never kept or shown.
 */
final class CredentialsSourceReader {

    private static final Logger LOG = Logger.getLogger(ConnectionSettingsReader.class.getName());

    private CredentialsSourceReader() {}

    /**
     * Reads an alias's source of changing credentials.
     *
     * @param alias the alias
     * @param values its values; problems are added through it
     * @param uriCredentials whether the uri carries credentials, which a source replaces
     * @return the source; {@code null} when none is configured, or it has a problem
     */
    static CredentialsSource read(String alias, AliasValues values, boolean uriCredentials) {
        String tokenFile = values.value(ConnectionKey.TOKEN_FILE);
        String passwordFile = values.value(ConnectionKey.PASSWORD_FILE);
        String provider = values.value(ConnectionKey.CREDENTIALS_PROVIDER);
        List<ConnectionKey> sources = new ArrayList<>();
        if (tokenFile != null) {
            sources.add(ConnectionKey.TOKEN_FILE);
        }
        if (passwordFile != null) {
            sources.add(ConnectionKey.PASSWORD_FILE);
        }
        if (provider != null) {
            sources.add(ConnectionKey.CREDENTIALS_PROVIDER);
        }
        String userFile = values.value(ConnectionKey.USER_FILE);
        if (userFile != null && passwordFile == null) {
            values.problem(
                    ConnectionKey.USER_FILE,
                    userFile,
                    "is set without " + ConnectionKey.PASSWORD_FILE.fullKey(alias) + "; set it to the file holding"
                            + " that user's password (a Kubernetes basic-auth secret's 'password'), or remove "
                            + ConnectionKey.USER_FILE.fullKey(alias));
            return null;
        }
        if (sources.isEmpty()) {
            return null;
        }
        if (sources.size() > 1) {
            values.problem(
                    sources.get(1),
                    values.value(sources.get(1)),
                    "is set beside " + sources.get(0).fullKey(alias) + "; the credentials come from one source: "
                            + "keep one of " + fullKeys(alias, sources));
            return null;
        }
        ConnectionKey source = sources.get(0);
        ConnectionKey replaced = source == ConnectionKey.PASSWORD_FILE ? ConnectionKey.PASSWORD : ConnectionKey.TOKEN;
        if (values.value(replaced) != null
                || (source == ConnectionKey.CREDENTIALS_PROVIDER && values.value(ConnectionKey.PASSWORD) != null)) {
            ConnectionKey fixed = values.value(replaced) != null ? replaced : ConnectionKey.PASSWORD;
            values.problem(
                    source,
                    values.value(source),
                    "is set beside " + fixed.fullKey(alias) + "; remove " + fixed.fullKey(alias)
                            + " (a fixed value) or " + source.fullKey(alias) + " (a value that may change)");
            return null;
        }
        if (source == ConnectionKey.PASSWORD_FILE && userFile != null) {
            return UserFileRules.read(alias, values);
        }
        String user = null;
        if (source == ConnectionKey.PASSWORD_FILE) {
            user = values.value(ConnectionKey.USER);
            if (user == null) {
                values.problem(
                        source,
                        passwordFile,
                        "is set without a user; also set " + ConnectionKey.USER.fullKey(alias) + " (or "
                                + ConnectionKey.USER_FILE.fullKey(alias) + "), or put user:password in "
                                + ConnectionKey.TOKEN_FILE.fullKey(alias));
                return null;
            }
            if (user.indexOf(':') >= 0) {
                values.problem(
                        ConnectionKey.USER,
                        user,
                        "holds a ':', which separates user and password; expected a user name without ':'");
                return null;
            }
        } else if (values.value(ConnectionKey.USER) != null || uriCredentials) {
            LOG.info(() -> values.prefix() + "user, password and credentials in the uri are ignored because "
                    + source.fullKey(alias) + " is set");
        }
        if (source.declaration().type() == KeyType.PATH && !readable(values, source)) {
            return null;
        }
        return new CredentialsSource(source, user, values.value(source));
    }

    /** A file that exists and holds something; its content is not kept. */
    static boolean readable(AliasValues values, ConnectionKey key) {
        return content(values, key) != null;
    }

    /**
     * The trimmed content of a file that exists and holds something, for a check; never kept or shown.
     *
     * @return the content; {@code null} after adding a problem naming the key and the path
     */
    static String content(AliasValues values, ConnectionKey key) {
        String path = values.value(key);
        String holding = key == ConnectionKey.PASSWORD_FILE
                ? "the password"
                : key == ConnectionKey.USER_FILE ? "the user name" : "the token (an API key or user:password)";
        try {
            Path file = Path.of(path);
            if (Files.isRegularFile(file) && Files.isReadable(file)) {
                String content = Files.readString(file, StandardCharsets.UTF_8).strip();
                if (content.isEmpty()) {
                    values.problem(key, path, "is empty; expected a file holding " + holding);
                    return null;
                }
                return content;
            }
        } catch (InvalidPathException | IOException unreadable) {
            // reported below
        }
        values.problem(
                key,
                path,
                "does not exist or cannot be read; expected the path of a readable file holding " + holding
                        + " (e.g. a Kubernetes secret's mount, or a Docker secret under /run/secrets/)");
        return null;
    }

    private static String fullKeys(String alias, List<ConnectionKey> keys) {
        List<String> names = new ArrayList<>();
        keys.forEach(key -> names.add(key.fullKey(alias)));
        return String.join(", ", names);
    }
}
