package io.github.milvuscdi.internal.client;

import io.github.milvuscdi.MilvusConnectionException;
import io.github.milvuscdi.internal.config.ConnectionSettings;

/**
 * A connection that could not be opened: the message users see, plus why in a type, so that the
 * readiness check reports it without reading the message.
 */
public final class ConnectFailure extends MilvusConnectionException {

    private static final long serialVersionUID = 1L;

    /** Why a connection could not be opened. */
    public enum Kind {
        /** The server refused, or the network failed. */
        UNREACHABLE,
        /** The server did not answer within the bound. */
        NO_ANSWER,
        /** TLS failed: trust, name, client certificate, or TLS on one side only. */
        TLS,
        /** The server rejected or required credentials. */
        CREDENTIALS,
        /** The host name does not resolve. */
        UNKNOWN_HOST,
        /** The port answers, but not as Milvus does: HTTP/1, another protocol, another gRPC service. */
        NOT_MILVUS,
        /** Anything else the SDK reported. */
        OTHER;

        /**
         * Whether waiting cannot cure it: the same configuration meets the same failure on the next attempt
         * (until someone changes the configuration, the server, or DNS).
         *
         * @return {@code true} for TLS, credentials, an unknown host and a server that is not Milvus
         */
        public boolean permanent() {
            return this == TLS || this == CREDENTIALS || this == UNKNOWN_HOST || this == NOT_MILVUS;
        }
    }

    private final Kind kind;
    private final String detail;

    /**
     * Creates the failure.
     *
     * @param alias the alias
     * @param kind why, as a type
     * @param message the whole message, naming alias and address
     * @param detail why, in words, without alias and address (what readiness shows)
     * @param cause the SDK's or the transport's failure
     */
    ConnectFailure(String alias, Kind kind, String message, String detail, Throwable cause) {
        super(alias, message, cause);
        this.kind = kind;
        this.detail = detail;
    }

    /**
     * The failure users see: alias, address, whether TLS, the connect-timeout, and why in their terms.
     *
     * @param settings the alias's settings
     * @param kind why, as a type
     * @param why why, in words, without alias and address
     * @param cause the SDK's or the transport's failure
     * @return the failure
     */
    static ConnectFailure of(ConnectionSettings settings, Kind kind, String why, Throwable cause) {
        return new ConnectFailure(
                settings.alias(), kind, cannotConnectTo(settings) + why, "cannot connect: " + why, cause);
    }

    private static String cannotConnectTo(ConnectionSettings settings) {
        return "Milvus alias '" + settings.alias() + "': cannot connect to " + settings.address()
                + (settings.secure() ? " over TLS" : "") + " (connect-timeout "
                + settings.connectTimeout().toMillis()
                + " ms): ";
    }

    /** @return why the connection could not be opened */
    public Kind kind() {
        return kind;
    }

    /** @return why, in words, without the alias and the address; never a secret */
    public String detail() {
        return detail;
    }
}
