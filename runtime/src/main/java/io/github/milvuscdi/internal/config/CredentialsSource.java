package io.github.milvuscdi.internal.config;

/**
 * Where an alias's credentials come from when they may change while the application runs: a file
 * ({@code token-file}, {@code password-file} with {@code user} or {@code user-file}) or an application bean
 * ({@code credentials-provider}). Holds no secret: what is read from there never comes here.
 *
 * @param key the key that names the source
 * @param user the user name, for {@code password-file} with {@code user}; {@code null} otherwise
 * @param userFile the path of the file holding the user name, for {@code password-file} with {@code user-file};
 *     {@code null} otherwise
 * @param location the file's path as configured, or the bean's name
 */
public record CredentialsSource(ConnectionKey key, String user, String userFile, String location) {

    /**
     * A source whose user, if any, is fixed.
     *
     * @param key the key that names the source
     * @param user the user name, for {@code password-file}; {@code null} otherwise
     * @param location the file's path as configured, or the bean's name
     */
    public CredentialsSource(ConnectionKey key, String user, String location) {
        this(key, user, null, location);
    }

    /** @return whether the source is a file, read again when it changes */
    public boolean isFile() {
        return key != ConnectionKey.CREDENTIALS_PROVIDER;
    }

    /**
     * Names the source for logs and readiness, never what it holds.
     *
     * @param alias the alias
     * @return e.g. {@code milvus.connections.search.token-file=/run/secrets/milvus-token}, or both files of a pair
     *     ({@code …user-file=… and …password-file=…})
     */
    public String describe(String alias) {
        String described = key.fullKey(alias) + "=" + location;
        return userFile == null
                ? described
                : ConnectionKey.USER_FILE.fullKey(alias) + "=" + userFile + " and " + described;
    }

    /**
     * Turns what the source holds into what is sent as {@code authorization}, before base64.
     *
     * @param secret the trimmed content of the file, or the bean's answer; for a pair of files, the
     *     {@code user:password} they hold together
     * @return {@code user:password} for a password file with a fixed user, the secret as it is otherwise
     */
    public String authorization(String secret) {
        return user != null ? user + ":" + secret : secret;
    }
}
