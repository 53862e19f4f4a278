package io.github.milvuscdi;

/**
 * A Milvus connection could not be opened or used. The message names the alias and the address
 * it concerns, never a password or token.
 */
public class MilvusConnectionException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String alias;

    /**
     * Creates the exception.
     *
     * @param alias the connection's alias, not {@code null}
     * @param message the whole message, naming alias and address
     * @param cause the SDK's failure, may be {@code null}
     */
    public MilvusConnectionException(String alias, String message, Throwable cause) {
        super(message, cause);
        this.alias = alias;
    }

    /**
     * Returns the alias of the connection that failed.
     *
     * @return the alias, never {@code null}
     */
    public String alias() {
        return alias;
    }
}
