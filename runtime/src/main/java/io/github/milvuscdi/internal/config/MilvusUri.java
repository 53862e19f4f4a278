package io.github.milvuscdi.internal.config;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;

/**
 * A Milvus uri, {@code scheme://[credentials@]host[:port][/db[/…]]}, taken apart, and the one rule
 * that hides its credentials whenever a uri is quoted.
 *
 * <p>The rule: everything between {@code ://} and the last {@code @} is credentials, whatever it
 * holds ({@code /}, {@code :}, {@code @} and {@code %} included: generated passwords hold them). Credentials
 * are {@code user:password}, or, without a {@code :}, a token (an API key written as userinfo). What
 * follows a {@code ?} or {@code #} after them is not quoted either ({@code ?token=…}). Every value a
 * configuration message quotes, whatever its key, goes through this rule.
 *
 * @param secure whether the scheme is {@code https}
 * @param user the user of the uri's credentials, decoded; {@code null} when it has none or a token
 * @param password the password of the uri's credentials, decoded; {@code null} when it has none or a token
 * @param token the uri's credentials when they have no {@code :}, decoded; {@code null} otherwise
 * @param host the host, without brackets, an IPv6 zone decoded
 * @param port the port, or the scheme's default
 * @param database the first path segment, decoded; {@code null} when there is none
 */
record MilvusUri(boolean secure, String user, String password, String token, String host, int port, String database) {

    /** What a uri looks like, for messages. */
    static final String FORM = "http://host[:port][/db] or https://host[:port][/db], e.g. http://localhost:19530";

    /** What replaces a uri's credentials when it is quoted. */
    static final String HIDDEN = "<credentials>";

    /** What replaces a uri's query or fragment (a {@code ?token=…} is a credential too) when it is quoted. */
    static final String QUERY_HIDDEN = "<hidden>";

    private static final Set<String> SCHEMES = Set.of("http", "https", "grpc", "tcp");
    private static final int DEFAULT_PORT = 19530;
    private static final int HTTPS_PORT = 443;

    /** Why a uri cannot be used; the message completes "'<uri>' …" and never quotes the credentials. */
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
            // a scheme is letters, digits, '+', '-' and '.': quoted only when it is one, never credentials
            throw new Invalid("has "
                    + (scheme.matches("[a-z][a-z0-9+.-]{0,15}") ? "scheme '" + scheme + "', which" : "a scheme that")
                    + " is not supported; expected " + FORM
                    + " (grpc:// and tcp:// are read as http://)");
        }
        String rest = uri.substring(schemeEnd + 3);
        String user = null;
        String password = null;
        String token = null;
        int at = rest.lastIndexOf('@');
        if (at >= 0) {
            String credentials = rest.substring(0, at);
            rest = rest.substring(at + 1);
            int colon = credentials.indexOf(':');
            if (credentials.isEmpty() || colon == 0) {
                throw new Invalid("has credentials without a user; expected http://user:password@host[:port] "
                        + "or https://token@host");
            }
            if (colon < 0) {
                token = decodeSecret(credentials);
            } else {
                user = decodeSecret(credentials.substring(0, colon));
                password = decodeSecret(credentials.substring(colon + 1));
                if (password.isEmpty()) {
                    throw new Invalid("has credentials without a password; expected http://user:password@host[:port]");
                }
            }
        }
        int query = indexOfAny(rest, "?#");
        if (query >= 0) {
            // the SDK drops it: a token or database written there would be silently ignored
            throw new Invalid("has a "
                    + (rest.charAt(query) == '?'
                            ? "query ('?' and what follows)"
                            : "fragment " + "('#' and what follows)")
                    + ", which is not read; set each setting as a key of its own "
                    + "(token, user and password, db-name), or put the database in the path: " + FORM);
        }
        int pathStart = indexOfAny(rest, "/?#");
        String authority = pathStart < 0 ? rest : rest.substring(0, pathStart);
        String path = pathStart < 0 || rest.charAt(pathStart) != '/' ? "" : rest.substring(pathStart + 1);
        boolean secure = "https".equals(scheme);
        String host = authority;
        int port = secure ? HTTPS_PORT : DEFAULT_PORT;
        if (authority.startsWith("[")) {
            int close = authority.indexOf(']');
            if (close < 0) {
                throw new Invalid("has an IPv6 address without its closing ']'; expected e.g. http://[::1]:19530");
            }
            host = decode(authority.substring(1, close), "host");
            String after = authority.substring(close + 1);
            if (!after.isEmpty()) {
                port = port(after.startsWith(":") ? after.substring(1) : after);
            }
        } else {
            int colon = authority.lastIndexOf(':');
            if (colon >= 0) {
                host = authority.substring(0, colon);
                port = port(authority.substring(colon + 1));
            }
            host = decode(host, "host");
        }
        if (host.isEmpty()) {
            throw new Invalid("has no host; expected " + FORM);
        }
        String problem = HostNames.locationProblem(host);
        if (problem != null) {
            throw new Invalid("has a host that " + problem);
        }
        int pathEnd = indexOfAny(path, "/?#");
        String database = decode(pathEnd < 0 ? path : path.substring(0, pathEnd), "database");
        return new MilvusUri(secure, user, password, token, host, port, database.isEmpty() ? null : database);
    }

    /**
     * Hides a uri's credentials: everything between {@code ://} (or the start) and the last {@code @}
     * becomes {@value #HIDDEN}.
     *
     * @param uri any text
     * @return the text without credentials
     */
    static String redact(String uri) {
        int schemeEnd = uri.indexOf("://");
        int start = schemeEnd < 0 ? 0 : schemeEnd + 3;
        int at = uri.lastIndexOf('@');
        String shown = at < start ? uri : uri.substring(0, start) + HIDDEN + uri.substring(at);
        int afterCredentials = at < start ? start : start + HIDDEN.length();
        int query = indexOfAny(shown.substring(afterCredentials), "?#");
        return query < 0 ? shown : shown.substring(0, afterCredentials + query + 1) + QUERY_HIDDEN;
    }

    private static int port(String text) throws Invalid {
        Integer port = AliasReader.port(text);
        if (port == null) {
            throw new Invalid("has a port that is not a number from 1 to 65535");
        }
        return port;
    }

    static int indexOfAny(String text, String characters) {
        for (int i = 0; i < text.length(); i++) {
            if (characters.indexOf(text.charAt(i)) >= 0) {
                return i;
            }
        }
        return -1;
    }

    /** Decodes credentials; the complaint never quotes them. */
    private static String decodeSecret(String text) throws Invalid {
        return decode(text, "credentials");
    }

    /**
     * Decodes {@code %XX} sequences as UTF-8; a {@code +} stays a {@code +} (a uri is not a form).
     *
     * @throws Invalid naming the part (host, credentials, database) whose encoding is broken
     */
    private static String decode(String text, String part) throws Invalid {
        if (text.indexOf('%') < 0) {
            return text;
        }
        ByteBuffer bytes = ByteBuffer.allocate(text.length() * 4);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '%') {
                if (i + 2 >= text.length()
                        || Character.digit(text.charAt(i + 1), 16) < 0
                        || Character.digit(text.charAt(i + 2), 16) < 0) {
                    throw new Invalid("has a '%' in its " + part + " that is not followed by two hexadecimal digits;"
                            + " write a literal '%' as %25");
                }
                bytes.put((byte) Integer.parseInt(text.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                bytes.put(StandardCharsets.UTF_8.encode(CharBuffer.wrap(new char[] {c})));
            }
        }
        bytes.flip();
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(bytes)
                    .toString();
        } catch (CharacterCodingException notUtf8) {
            throw new Invalid("has %-encoded bytes in its " + part + " that are not UTF-8");
        }
    }
}
