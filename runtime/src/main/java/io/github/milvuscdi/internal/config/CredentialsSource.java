package io.github.milvuscdi.internal.config;

/**
 * Where an alias's credentials come from when they may change while the application runs: a file
 * ({@code token-file}, {@code password-file} with {@code user}) or an application bean
 * ({@code credentials-provider}). Holds no secret: what is read from there never comes here.
 *
 * @param key the key that names the source
 * @param user the user name, for {@code password-file}; {@code null} otherwise
 * @param location the file's path as configured, or the bean's name
 */
public record CredentialsSource(ConnectionKey key, String user, String location) {

    /** @return whether the source is a file, read again when it changes */
    public boolean isFile() {
        return key != ConnectionKey.CREDENTIALS_PROVIDER;
    }

    /**
     * Names the source for logs and readiness, never what it holds.
     *
     * @param alias the alias
     * @return e.g. {@code milvus.connections.search.token-file=/run/secrets/milvus-token}
     */
    public String describe(String alias) {
        return key.fullKey(alias) + "=" + location;
    }

    /**
     * Turns what the source holds into what is sent as {@code authorization}, before base64.
     *
     * @param secret the trimmed content of the file, or the bean's answer
     * @return {@code user:password} for a password file, the token otherwise
     */
    public String authorization(String secret) {
        return user != null ? user + ":" + secret : secret;
    }
}
