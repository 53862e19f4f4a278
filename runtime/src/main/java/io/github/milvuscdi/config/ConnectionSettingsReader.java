package io.github.milvuscdi.config;

import io.github.milvuscdi.MilvusConfigurationException;
import io.github.milvuscdi.MilvusConnection;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import org.eclipse.microprofile.config.Config;

/**
 * Turns {@code milvus.connections.<alias>.*} into validated {@link ConnectionSettings}: the one
 * place where connection configuration is parsed and checked.
 *
 * <p>Every problem of every alias is collected before anything fails, and each names the alias,
 * the full key, the value (never a password or token) and what would be accepted. Location
 * precedence follows pymilvus: {@code address}, then {@code uri}, then {@code host}/{@code port};
 * a key that loses is logged as ignored. With no location, alias {@code default} uses the
 * {@code MILVUS_URI} environment variable, else {@value #DEFAULT_URI}.
 *
 * <pre>{@code
 * ConnectionSettings search = new ConnectionSettingsReader().read("search", Map.of("uri", "http://milvus:19530"));
 * Map<String, ConnectionSettings> all = new ConnectionSettingsReader().readAll(config, Set.of("default", "search"));
 * }</pre>
 *
 * <p>Thread-safe: holds nothing but the environment lookup.
 */
public final class ConnectionSettingsReader {

    /** Every connection key starts with this. */
    public static final String PREFIX = "milvus.connections.";

    /** The environment variable alias {@code default} falls back to when it has no location. */
    public static final String ENV_URI = "MILVUS_URI";

    /** Where alias {@code default} connects when nothing else says where. */
    public static final String DEFAULT_URI = "http://localhost:19530";

    /** {@code false} turns the readiness check off; default {@code true}. */
    public static final String HEALTH_ENABLED = "milvus.health.enabled";

    /** The bound on each alias's readiness probe; default {@link #DEFAULT_HEALTH_TIMEOUT}. */
    public static final String HEALTH_TIMEOUT = "milvus.health.timeout";

    /** The bound on each alias's readiness probe when {@value #HEALTH_TIMEOUT} is not set: 2 s. */
    public static final Duration DEFAULT_HEALTH_TIMEOUT = Duration.ofSeconds(2);

    private static final Logger LOG = Logger.getLogger(ConnectionSettingsReader.class.getName());
    private static final int DEFAULT_PORT = 19530;
    private static final int HTTPS_PORT = 443;
    private static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    private static final Set<String> SCHEMES = Set.of("http", "https", "grpc", "tcp");
    private static final String URI_FORM = "http://host[:port][/db] or https://host[:port][/db], e.g. http://localhost:19530";
    private static final String PORT_FORM = "a number from 1 to 65535";
    private static final String BOOLEAN_FORM = "true or false";

    private final Function<String, String> environment;

    /** Creates a reader that consults the process environment for {@code MILVUS_URI}. */
    public ConnectionSettingsReader() {
        this(System::getenv);
    }

    /**
     * Creates a reader with its own view of the environment.
     *
     * @param environment returns an environment variable's value or {@code null}; not {@code null}
     */
    public ConnectionSettingsReader(Function<String, String> environment) {
        this.environment = environment;
    }

    /**
     * Finds the aliases named by property names of the form {@code milvus.connections.<alias>.<key>}.
     *
     * @param propertyNames every property name known to the configuration
     * @return the aliases, sorted
     */
    public static SortedSet<String> configuredAliases(Iterable<String> propertyNames) {
        SortedSet<String> aliases = new TreeSet<>();
        for (String name : propertyNames) {
            if (name.startsWith(PREFIX)) {
                int dot = name.indexOf('.', PREFIX.length());
                if (dot > PREFIX.length() && dot < name.length() - 1) {
                    aliases.add(name.substring(PREFIX.length(), dot));
                }
            }
        }
        return aliases;
    }

    /**
     * Reads {@value #HEALTH_ENABLED}: whether the readiness check probes anything.
     *
     * @param config the configuration, read on every call so that a changed value takes effect
     * @return {@code true} unless the key is {@code false}
     * @throws MilvusConfigurationException when the value is neither {@code true} nor {@code false};
     *         the message names the key and the value
     */
    public static boolean healthEnabled(Config config) {
        String text = config.getOptionalValue(HEALTH_ENABLED, String.class).map(String::trim)
                .filter(v -> !v.isEmpty()).orElse(null);
        if (text == null || text.equalsIgnoreCase("true")) {
            return true;
        }
        if (text.equalsIgnoreCase("false")) {
            return false;
        }
        throw new MilvusConfigurationException(List.of(HEALTH_ENABLED + "='" + text + "' is not a boolean; expected "
                + BOOLEAN_FORM));
    }

    /**
     * Reads {@value #HEALTH_TIMEOUT}: the bound on each alias's readiness probe, a duration written
     * as the connection keys' durations are ({@code 2s}, {@code 500ms}, {@code PT2S}; a bare number
     * is seconds).
     *
     * @param config the configuration, read on every call so that a changed value takes effect
     * @return the bound, positive; {@link #DEFAULT_HEALTH_TIMEOUT} when the key is not set
     * @throws MilvusConfigurationException when the value is not a positive duration; the message
     *         names the key, the value and what is accepted
     */
    public static Duration healthTimeout(Config config) {
        String text = config.getOptionalValue(HEALTH_TIMEOUT, String.class).map(String::trim)
                .filter(v -> !v.isEmpty()).orElse(null);
        if (text == null) {
            return DEFAULT_HEALTH_TIMEOUT;
        }
        Duration parsed = Durations.parse(text);
        if (parsed == null || parsed.isZero()) {
            throw new MilvusConfigurationException(List.of(HEALTH_TIMEOUT + "='" + text
                    + "' is not a positive duration; expected " + Durations.ACCEPTED));
        }
        return parsed;
    }

    /**
     * Reads and validates several aliases from MicroProfile Config, reporting every problem at once.
     * Values are read through {@code Config}, so environment variables such as
     * {@code MILVUS_CONNECTIONS_SEARCH_URI} override them.
     *
     * @param config the configuration
     * @param aliases the aliases to read
     * @return settings by alias, in alias order
     * @throws MilvusConfigurationException listing every problem of every alias
     */
    public Map<String, ConnectionSettings> readAll(Config config, Collection<String> aliases) {
        // the keys written under each alias, from one pass over the property names
        Map<String, Set<String>> writtenKeys = new java.util.HashMap<>();
        for (String name : config.getPropertyNames()) {
            int dot = name.startsWith(PREFIX) ? name.indexOf('.', PREFIX.length()) : -1;
            if (dot > PREFIX.length() && dot < name.length() - 1) {
                writtenKeys.computeIfAbsent(name.substring(PREFIX.length(), dot), alias -> new java.util.HashSet<>())
                        .add(name.substring(dot + 1));
            }
        }
        List<String> problems = new ArrayList<>();
        Map<String, ConnectionSettings> result = new java.util.LinkedHashMap<>();
        for (String alias : new TreeSet<>(aliases)) {
            Set<String> written = writtenKeys.getOrDefault(alias, Set.of());
            ConnectionSettings settings = read(alias,
                    key -> config.getOptionalValue(key.fullKey(alias), String.class), written, problems);
            if (settings != null) {
                result.put(alias, settings);
            }
        }
        if (!problems.isEmpty()) {
            throw new MilvusConfigurationException(problems);
        }
        return result;
    }

    /**
     * Reads what the configuration says of one alias, if anything: an alias with keys under
     * {@code milvus.connections.<alias>.}, or alias {@code default}, which always has a location.
     *
     * @param config the configuration, or {@code null} for none (then only alias {@code default},
     *        from {@code MILVUS_URI} or {@value #DEFAULT_URI})
     * @param alias the alias
     * @return the settings; empty when the configuration does not name the alias
     * @throws MilvusConfigurationException when the alias's keys are invalid
     */
    public Optional<ConnectionSettings> configured(Config config, String alias) {
        boolean hasKeys = config != null && configuredAliases(config.getPropertyNames()).contains(alias);
        if (!hasKeys && !MilvusConnection.DEFAULT_ALIAS.equals(alias)) {
            return Optional.empty();
        }
        return Optional.of(config == null ? read(alias, Map.of()) : readAll(config, Set.of(alias)).get(alias));
    }

    /**
     * Reads and validates one alias from keys written without the prefix, as in
     * {@code Map.of("uri", "http://milvus:19530", "token", "…")}.
     *
     * @param alias the alias
     * @param keys short keys ({@code uri}, {@code db-name}, …) to values; not {@code null}
     * @return the settings
     * @throws MilvusConfigurationException listing every problem
     */
    public ConnectionSettings read(String alias, Map<String, String> keys) {
        List<String> problems = new ArrayList<>();
        ConnectionSettings settings = read(alias, key -> Optional.ofNullable(keys.get(key.key())),
                keys.keySet(), problems);
        if (!problems.isEmpty()) {
            throw new MilvusConfigurationException(problems);
        }
        return settings;
    }

    /**
     * Reads one alias, adding a sentence per problem.
     *
     * @param alias the alias
     * @param lookup the value of a key, empty when unset
     * @param writtenKeys the short keys present in the source, to catch unknown ones
     * @param problems receives the problems
     * @return the settings, or {@code null} when there was a problem
     */
    ConnectionSettings read(String alias, Function<ConnectionKey, Optional<String>> lookup,
            Collection<String> writtenKeys, List<String> problems) {
        return new AliasReader(alias, lookup, problems).read(writtenKeys);
    }

    /** Reads one alias; lives for one call. */
    private final class AliasReader {
        private final String alias;
        private final Function<ConnectionKey, Optional<String>> lookup;
        private final List<String> problems;
        private final int problemsBefore;
        private final ConnectionSettings.Builder settings = new ConnectionSettings.Builder();
        private String uriUser;
        private String uriPassword;
        private String uriDatabase;

        AliasReader(String alias, Function<ConnectionKey, Optional<String>> lookup, List<String> problems) {
            this.alias = alias;
            this.lookup = lookup;
            this.problems = problems;
            this.problemsBefore = problems.size();
        }

        ConnectionSettings read(Collection<String> writtenKeys) {
            if (alias.isBlank() || alias.indexOf('.') >= 0) {
                problems.add("alias '" + alias + "' is not valid: an alias is not empty and has no '.', "
                        + "because it is the segment after '" + PREFIX + "'");
                return null;
            }
            settings.alias = alias;
            for (String key : new TreeSet<>(writtenKeys)) {
                if (ConnectionKey.of(key).isEmpty()) {
                    problems.add(prefix() + PREFIX + alias + "." + key + " is not a known key; accepted keys: "
                            + Arrays.stream(ConnectionKey.values()).map(ConnectionKey::key)
                                    .collect(Collectors.joining(", ")));
                }
            }
            readLocation();
            readCredentials();
            readDatabase();
            readTls();
            settings.connectTimeout = duration(ConnectionKey.CONNECT_TIMEOUT, true);
            if (settings.connectTimeout == null) {
                settings.connectTimeout = DEFAULT_CONNECT_TIMEOUT;
            }
            settings.keepAliveTime = duration(ConnectionKey.KEEP_ALIVE_TIME, false);
            settings.keepAliveTimeout = duration(ConnectionKey.KEEP_ALIVE_TIMEOUT, false);
            settings.idleTimeout = duration(ConnectionKey.IDLE_TIMEOUT, false);
            settings.rpcDeadline = duration(ConnectionKey.RPC_DEADLINE, false);
            settings.keepAliveWithoutCalls = bool(ConnectionKey.KEEP_ALIVE_WITHOUT_CALLS);
            settings.connectOnStartup = Boolean.TRUE.equals(bool(ConnectionKey.CONNECT_ON_STARTUP));
            settings.healthEnabled = !Boolean.FALSE.equals(bool(ConnectionKey.HEALTH_ENABLED));
            return problems.size() == problemsBefore ? settings.build() : null;
        }

        private void readLocation() {
            String address = value(ConnectionKey.ADDRESS);
            String uri = value(ConnectionKey.URI);
            String host = value(ConnectionKey.HOST);
            String port = value(ConnectionKey.PORT);
            if (address != null) {
                ignored(ConnectionKey.ADDRESS, ConnectionKey.URI, ConnectionKey.HOST, ConnectionKey.PORT);
                readAddress(address);
            } else if (uri != null) {
                ignored(ConnectionKey.URI, ConnectionKey.HOST, ConnectionKey.PORT);
                readUri(uri, ConnectionKey.URI.fullKey(alias));
            } else if (host != null || port != null) {
                settings.host = host == null ? "localhost" : stripBrackets(host);
                settings.port = DEFAULT_PORT;
                if (port != null) {
                    Integer parsed = port(port);
                    if (parsed == null) {
                        problem(ConnectionKey.PORT, port, "is not a port; expected " + PORT_FORM);
                    } else {
                        settings.port = parsed;
                    }
                }
            } else if (MilvusConnection.DEFAULT_ALIAS.equals(alias)) {
                String fromEnvironment = environment.apply(ENV_URI);
                if (fromEnvironment != null && !fromEnvironment.isBlank()) {
                    readUri(fromEnvironment.trim(), "environment variable " + ENV_URI);
                } else {
                    readUri(DEFAULT_URI, "the default");
                }
            } else {
                problems.add(prefix() + "no location is configured; set " + ConnectionKey.URI.fullKey(alias)
                        + " (e.g. http://localhost:19530), or " + ConnectionKey.ADDRESS.fullKey(alias)
                        + " (host:port), or " + ConnectionKey.HOST.fullKey(alias) + " and "
                        + ConnectionKey.PORT.fullKey(alias));
            }
        }

        private void readAddress(String address) {
            int colon = address.lastIndexOf(':');
            String host = colon > 0 ? stripBrackets(address.substring(0, colon)) : "";
            Integer port = colon > 0 ? port(address.substring(colon + 1)) : null;
            if (host.isEmpty() || port == null || (host.indexOf(':') >= 0 && !address.startsWith("["))) {
                problem(ConnectionKey.ADDRESS, address, "is not host:port; expected e.g. localhost:19530 with a port "
                        + "from 1 to 65535 ([::1]:19530 for IPv6)");
                return;
            }
            settings.host = host;
            settings.port = port;
        }

        /** Parses {@code scheme://[user:password@]host[:port][/db[/…]]}. */
        private void readUri(String uri, String source) {
            String shown = redactUri(uri);
            int schemeEnd = uri.indexOf("://");
            if (schemeEnd <= 0) {
                uriProblem(source, shown, "has no scheme; expected " + URI_FORM);
                return;
            }
            String scheme = uri.substring(0, schemeEnd).toLowerCase(Locale.ROOT);
            if (!SCHEMES.contains(scheme)) {
                uriProblem(source, shown, "has scheme '" + scheme + "', which is not supported; expected "
                        + URI_FORM + " (grpc:// and tcp:// are read as http://)");
                return;
            }
            String rest = uri.substring(schemeEnd + 3);
            int slash = rest.indexOf('/');
            String authority = slash < 0 ? rest : rest.substring(0, slash);
            String path = slash < 0 ? "" : rest.substring(slash + 1);
            int at = authority.lastIndexOf('@');
            if (at >= 0) {
                String userInfo = authority.substring(0, at);
                authority = authority.substring(at + 1);
                int colon = userInfo.indexOf(':');
                if (colon <= 0) {
                    uriProblem(source, shown, "has credentials without a password; expected "
                            + "http://user:password@host[:port]");
                    return;
                }
                uriUser = decode(userInfo.substring(0, colon));
                uriPassword = decode(userInfo.substring(colon + 1));
            }
            String host = authority;
            Integer port = "https".equals(scheme) ? HTTPS_PORT : DEFAULT_PORT;
            int portColon = authority.startsWith("[") ? authority.indexOf("]:") + 1 : authority.lastIndexOf(':');
            if (portColon > 0) {
                host = authority.substring(0, portColon);
                port = port(authority.substring(portColon + 1));
                if (port == null) {
                    uriProblem(source, shown, "has port '" + authority.substring(portColon + 1)
                            + "', which is not " + PORT_FORM);
                    return;
                }
            }
            host = stripBrackets(host);
            if (host.isEmpty()) {
                uriProblem(source, shown, "has no host; expected " + URI_FORM);
                return;
            }
            settings.host = host;
            settings.port = port;
            settings.secure = "https".equals(scheme);
            int pathEnd = path.indexOf('/');
            String database = pathEnd < 0 ? path : path.substring(0, pathEnd);
            if (!database.isEmpty()) {
                uriDatabase = decode(database);
            }
        }

        private void readCredentials() {
            String token = value(ConnectionKey.TOKEN);
            String user = value(ConnectionKey.USER);
            String password = value(ConnectionKey.PASSWORD);
            if (token != null) {
                if (user != null || password != null || uriUser != null) {
                    LOG.info(() -> prefix() + "user and password are ignored because "
                            + ConnectionKey.TOKEN.fullKey(alias) + " is set");
                }
                settings.authorization = token;
            } else if (uriUser != null) {
                if (user != null || password != null) {
                    LOG.info(() -> prefix() + ConnectionKey.USER.fullKey(alias) + " and "
                            + ConnectionKey.PASSWORD.fullKey(alias)
                            + " are ignored because the uri carries credentials");
                }
                settings.user = uriUser;
                settings.authorization = uriUser + ":" + uriPassword;
            } else if (user != null && password != null) {
                settings.user = user;
                settings.authorization = user + ":" + password;
            } else if (user != null) {
                problem(ConnectionKey.USER, user, "is set without a password; also set "
                        + ConnectionKey.PASSWORD.fullKey(alias) + ", or use " + ConnectionKey.TOKEN.fullKey(alias));
            } else if (password != null) {
                problems.add(prefix() + ConnectionKey.PASSWORD.fullKey(alias) + " is set without a user; also set "
                        + ConnectionKey.USER.fullKey(alias) + ", or use " + ConnectionKey.TOKEN.fullKey(alias));
            }
        }

        private void readDatabase() {
            String database = value(ConnectionKey.DB_NAME);
            settings.databaseName = database != null ? database : uriDatabase;
        }

        private void readTls() {
            Boolean secure = bool(ConnectionKey.SECURE);
            settings.serverPemPath = file(ConnectionKey.SERVER_PEM_PATH);
            settings.caPemPath = file(ConnectionKey.CA_PEM_PATH);
            settings.clientPemPath = file(ConnectionKey.CLIENT_PEM_PATH);
            settings.clientKeyPath = file(ConnectionKey.CLIENT_KEY_PATH);
            String serverName = value(ConnectionKey.SERVER_NAME);
            boolean clientCertificate = value(ConnectionKey.CLIENT_PEM_PATH) != null
                    || value(ConnectionKey.CLIENT_KEY_PATH) != null;
            if (clientCertificate) {
                List<String> missing = new ArrayList<>();
                for (ConnectionKey key : List.of(ConnectionKey.CLIENT_PEM_PATH, ConnectionKey.CLIENT_KEY_PATH,
                        ConnectionKey.CA_PEM_PATH)) {
                    if (value(key) == null) {
                        missing.add(key.fullKey(alias));
                    }
                }
                if (!missing.isEmpty()) {
                    problems.add(prefix() + "mutual TLS needs " + ConnectionKey.CLIENT_PEM_PATH.fullKey(alias) + ", "
                            + ConnectionKey.CLIENT_KEY_PATH.fullKey(alias) + " and "
                            + ConnectionKey.CA_PEM_PATH.fullKey(alias) + " together; set "
                            + String.join(" and ", missing));
                } else if (value(ConnectionKey.SERVER_PEM_PATH) != null) {
                    LOG.info(() -> prefix() + ConnectionKey.SERVER_PEM_PATH.fullKey(alias) + " is ignored because "
                            + "mutual TLS trusts the server through " + ConnectionKey.CA_PEM_PATH.fullKey(alias));
                }
            }
            boolean tlsFiles = clientCertificate || value(ConnectionKey.SERVER_PEM_PATH) != null
                    || value(ConnectionKey.CA_PEM_PATH) != null;
            if (Boolean.TRUE.equals(secure)) {
                settings.secure = true;
            } else if (Boolean.FALSE.equals(secure) && settings.secure) {
                LOG.info(() -> prefix() + ConnectionKey.SECURE.fullKey(alias)
                        + "=false is ignored because the uri is https");
            } else if (Boolean.FALSE.equals(secure) && tlsFiles) {
                problem(ConnectionKey.SECURE, "false", "turns TLS off, but certificate paths are set; "
                        + "set it to true, or remove the -pem-path and -key-path keys");
            } else if (tlsFiles) {
                settings.secure = true;
            }
            if (settings.secure && settings.host != null) {
                settings.serverName = serverName != null ? serverName : settings.host;
            } else if (serverName != null) {
                LOG.info(() -> prefix() + ConnectionKey.SERVER_NAME.fullKey(alias) + " is ignored because TLS is off");
            }
        }

        private String file(ConnectionKey key) {
            String path = value(key);
            if (path == null) {
                return null;
            }
            try {
                Path file = Path.of(path);
                if (Files.isRegularFile(file) && Files.isReadable(file)) {
                    return path;
                }
            } catch (InvalidPathException invalid) {
                // reported below
            }
            problem(key, path, "does not exist or cannot be read; expected the path of a readable PEM file");
            return null;
        }

        private Duration duration(ConnectionKey key, boolean positive) {
            String text = value(key);
            if (text == null) {
                return null;
            }
            Duration parsed = Durations.parse(text);
            if (parsed == null || (positive && parsed.isZero())) {
                problem(key, text, "is not a " + (positive ? "positive " : "") + "duration; expected "
                        + Durations.ACCEPTED);
                return null;
            }
            return parsed;
        }

        private Boolean bool(ConnectionKey key) {
            String text = value(key);
            if (text == null) {
                return null;
            }
            if (text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false")) {
                return Boolean.valueOf(text.toLowerCase(Locale.ROOT));
            }
            problem(key, text, "is not a boolean; expected " + BOOLEAN_FORM);
            return null;
        }

        private void ignored(ConnectionKey winner, ConnectionKey... losers) {
            List<String> set = Arrays.stream(losers).filter(k -> value(k) != null)
                    .map(k -> k.fullKey(alias)).collect(Collectors.toList());
            if (!set.isEmpty()) {
                LOG.info(() -> prefix() + String.join(", ", set) + (set.size() == 1 ? " is" : " are")
                        + " ignored because " + winner.fullKey(alias) + " is set");
            }
        }

        private String value(ConnectionKey key) {
            return lookup.apply(key).map(String::trim).filter(v -> !v.isEmpty()).orElse(null);
        }

        private void problem(ConnectionKey key, String value, String complaint) {
            String shown = key.isSecret() ? "(hidden)" : "'" + value + "'";
            problems.add(prefix() + key.fullKey(alias) + "=" + shown + " " + complaint);
        }

        private void uriProblem(String source, String shownUri, String complaint) {
            String where = source.startsWith(PREFIX) ? source + "=" : source + " ";
            problems.add(prefix() + where + "'" + shownUri + "' " + complaint);
        }

        private String prefix() {
            return "alias '" + alias + "': ";
        }
    }

    private static Integer port(String text) {
        try {
            int port = Integer.parseInt(text.trim());
            return port >= 1 && port <= 65535 ? port : null;
        } catch (NumberFormatException notANumber) {
            return null;
        }
    }

    private static String stripBrackets(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    private static String decode(String text) {
        return URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    /**
     * Hides the password in a uri's user information.
     *
     * @param uri any text
     * @return the text with {@code user:password@} shown as {@code user:***@}
     */
    static String redactUri(String uri) {
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
}
