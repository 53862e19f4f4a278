package io.github.milvuscdi.internal.config;

/**
 * The rules of {@code user-file} beside {@code password-file}: the user name comes from a file too, so that a
 * Kubernetes {@code basic-auth} secret's {@code username} and {@code password} change as one pair. Not beside
 * {@code user}; the file exists, holds something and a name without {@code ':'} when the application deploys. What
 * the file holds is never shown: a user who pasted {@code user:password} there would see the password quoted.
 */
final class UserFileRules {

    private UserFileRules() {}

    /**
     * Reads the source of an alias with both {@code user-file} and {@code password-file}, and no other source.
     *
     * @param alias the alias
     * @param values its values; problems are added through it
     * @return the source; {@code null} when it has a problem
     */
    static CredentialsSource read(String alias, AliasValues values) {
        String userFile = values.value(ConnectionKey.USER_FILE);
        if (values.value(ConnectionKey.USER) != null) {
            values.problem(
                    ConnectionKey.USER_FILE,
                    userFile,
                    "is set beside " + ConnectionKey.USER.fullKey(alias) + "; the user name comes from one place:"
                            + " remove " + ConnectionKey.USER.fullKey(alias) + " (a fixed name) or "
                            + ConnectionKey.USER_FILE.fullKey(alias) + " (a name that may change)");
            return null;
        }
        String user = CredentialsSourceReader.content(values, ConnectionKey.USER_FILE);
        boolean password = CredentialsSourceReader.readable(values, ConnectionKey.PASSWORD_FILE);
        if (user == null || !password) {
            return null;
        }
        if (user.indexOf(':') >= 0) {
            values.problem(
                    ConnectionKey.USER_FILE,
                    userFile,
                    "holds a ':', which separates user and password; expected a file holding only the user name"
                            + " (its password goes in " + ConnectionKey.PASSWORD_FILE.fullKey(alias) + ")");
            return null;
        }
        return new CredentialsSource(
                ConnectionKey.PASSWORD_FILE, null, userFile, values.value(ConnectionKey.PASSWORD_FILE));
    }
}
