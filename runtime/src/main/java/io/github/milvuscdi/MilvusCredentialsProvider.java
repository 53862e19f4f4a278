package io.github.milvuscdi;

/**
 * A source of credentials that may change while the application runs (Vault, a cloud secret manager, a
 * test), named by an alias's {@code credentials-provider} key: an application bean with that {@code @Named}
 * name implements this interface.
 *
 * <pre>{@code
 * // milvus.connections.search.credentials-provider=vault-milvus
 * @ApplicationScoped
 * @Named("vault-milvus")
 * public class VaultMilvusCredentials implements MilvusCredentialsProvider {
 *     @Override
 *     public String token(String alias) {
 *         return vault.read("secret/milvus/" + alias).get("token"); // an API key, or user:password
 *     }
 * }
 * }</pre>
 *
 * <p>It is asked when the alias connects, then about once a second on a thread of Milvus CDI (never on the
 * thread of a call), and at once when the server answers that authentication failed. Each call to Milvus
 * carries the latest answer; a new answer needs no reconnect. While it throws or answers {@code null} or
 * blank, the last good answer is kept, one warning naming the alias and the bean is logged, and readiness
 * says so.
 *
 * <p>Called from one thread at a time per alias; it should answer quickly (a cached value), since a slow
 * answer delays the next check, not the calls.
 */
@FunctionalInterface
public interface MilvusCredentialsProvider {

    /**
     * Returns the credentials of an alias now.
     *
     * @param alias the alias whose {@code credentials-provider} names this bean
     * @return an API key, or {@code user:password}; {@code null} or blank keeps the last answer
     */
    String token(String alias);
}
