package io.github.milvuscdi.internal.config;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;

/**
 * A Milvus uri, {@code scheme://[user:password@]host[:port][/db[/…]]}, taken apart, and the one rule
 * that hides its credentials whenever a uri is quoted.
 *
 * @param secure whether the scheme is {@code https}
 * @param user the user of the uri's credentials, decoded; {@code null} when it has none
 * @param password the password of the uri's credentials, decoded; {@code null} when it has none
 * @param host the host, without brackets
 * @param port the port, or the scheme's default
 * @param database the first path segment, decoded; {@code null} when there is none
 */
record MilvusUri(boolean secure, String user, String password, String host, int port, String database) {

    /** What a uri looks like, for messages. */
    static final String FORM = "http://host[:port][/db] or https://host[:port][/db], e.g. http://localhost:19530";

    private static final Set<String> SCHEMES = Set.of("http", "https", "grpc", "tcp");
    private static final int DEFAULT_PORT = 19530;
    private static final int HTTPS_PORT = 443;

    /** Why a uri cannot be used; the message completes "'<uri>' …". */
    static final class Invalid extends Exception {
        private static final long serialVersionUID = 1L;

        Invalid(String complaint) {
            super(complaint, null, false, false);
        }
    }

    /**
     * Takes a uri apart.
     *
     * @param uri the uri, trimmed
     * @return its parts
     * @throws Invalid saying what is wrong, never quoting the credentials
     */
    static MilvusUri parse(String uri) throws Invalid {
        int schemeEnd = uri.indexOf("://");
        if (schemeEnd <= 0) {
            throw new Invalid("has no scheme; expected " + FORM);
        }
        String scheme = uri.substring(0, schemeEnd).toLowerCase(Locale.ROOT);
        if (!SCHEMES.contains(scheme)) {
            throw new Invalid("has scheme '" + scheme + "', which is not supported; expected " + FORM
                    + " (grpc:// and tcp:// are read as http://)");
        }
        String rest = uri.substring(schemeEnd + 3);
        int slash = rest.indexOf('/');
        String authority = slash < 0 ? rest : rest.substring(0, slash);
        String path = slash < 0 ? "" : rest.substring(slash + 1);
        String user = null;
        String password = null;
        int at = authority.lastIndexOf('@');
        if (at >= 0) {
            String userInfo = authority.substring(0, at);
            authority = authority.substring(at + 1);
            int colon = userInfo.indexOf(':');
            if (colon <= 0) {
                throw new Invalid("has credentials without a password; expected http://user:password@host[:port]");
            }
            user = decode(userInfo.substring(0, colon));
            password = decode(userInfo.substring(colon + 1));
        }
        boolean secure = "https".equals(scheme);
        String host = authority;
        Integer port = secure ? HTTPS_PORT : DEFAULT_PORT;
        int portColon = authority.startsWith("[") ? authority.indexOf("]:") + 1 : authority.lastIndexOf(':');
        if (portColon > 0) {
            host = authority.substring(0, portColon);
            port = AliasReader.port(authority.substring(portColon + 1));
            if (port == null) {
                throw new Invalid("has port '" + authority.substring(portColon + 1)
                        + "', which is not a number from 1 to 65535");
            }
        }
        host = AliasReader.stripBrackets(host);
        if (host.isEmpty()) {
            throw new Invalid("has no host; expected " + FORM);
        }
        int pathEnd = path.indexOf('/');
        String database = pathEnd < 0 ? path : path.substring(0, pathEnd);
        return new MilvusUri(secure, user, password, host, port, database.isEmpty() ? null : decode(database));
    }

    /**
     * Hides the password in a uri's user information.
     *
     * @param uri any text
     * @return the text with {@code user:password@} shown as {@code user:***@}
     */
    static String redact(String uri) {
        int schemeEnd = uri.indexOf("://");
        int start = schemeEnd < 0 ? 0 : schemeEnd + 3;
        int slash = uri.indexOf('/', start);
        int at = uri.lastIndexOf('@', slash < 0 ? uri.length() : slash);
        if (at < start) {
            return uri;
        }
        String userInfo = uri.substring(start, at);
        int colon = userInfo.indexOf(':');
        String user = colon < 0 ? userInfo : userInfo.substring(0, colon);
        return uri.substring(0, start) + user + ":***" + uri.substring(at);
    }

    private static String decode(String text) {
        return URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
    }
}
