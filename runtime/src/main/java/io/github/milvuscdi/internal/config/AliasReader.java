package io.github.milvuscdi.internal.config;

import io.github.milvuscdi.MilvusConnection;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * The rules of one alias's keys: location precedence, credentials, database, TLS, durations. Lives
 * for one read, adding a sentence per problem; see {@link ConnectionSettingsReader}.
 */
final class AliasReader {

    private static final Logger LOG = Logger.getLogger(ConnectionSettingsReader.class.getName());
    private static final String PORT_FORM = "a number from 1 to 65535";
    /** A Milvus database or collection name. */
    static final java.util.regex.Pattern DATABASE = java.util.regex.Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,254}");

    private static final String DATABASE_FORM = "is not a Milvus database name; expected letters, digits and '_', "
            + "starting with a letter or '_', at most 255 characters";

    private final String alias;
    private final Function<ConnectionKey, Optional<String>> lookup;
    private final List<String> problems;
    private final int problemsBefore;
    private final AliasValues values;
    private final ConnectionSettings.Builder settings = new ConnectionSettings.Builder();
    private final Function<String, String> environment;
    private String uriUser;
    private String uriPassword;
    private String uriToken;
    private String uriDatabase;

    AliasReader(
            String alias,
            Function<ConnectionKey, Optional<String>> lookup,
            Function<String, String> environment,
            List<String> problems) {
        this.alias = alias;
        this.environment = environment;
        this.lookup = lookup;
        this.problems = problems;
        this.problemsBefore = problems.size();
        this.values = new AliasValues(alias, lookup, problems);
    }

    ConnectionSettings read(Collection<String> writtenKeys) {
        if (alias.isBlank() || alias.indexOf('.') >= 0) {
            problems.add("alias '" + printable(alias) + "' is not valid: an alias is not empty and has no '.', "
                    + "because it is the segment after '" + AliasDiscovery.PREFIX + "'");
            return null;
        }
        if (!printable(alias).equals(alias)) {
            problems.add("alias '" + printable(alias) + "' is not valid: it holds control or invisible characters "
                    + "(shown as \\uXXXX), which would reach logs, thread names and metric attributes; "
                    + "use letters, digits, '-' and '_'");
            return null;
        }
        settings.alias = alias;
        for (String key : new TreeSet<>(writtenKeys)) {
            if (ConnectionKey.of(key).isEmpty()) {
                String suggestion = ConnectionKey.nearest(key)
                        .map(near -> "did you mean " + near.fullKey(alias) + "? ")
                        .orElse("");
                problems.add(values.prefix() + AliasDiscovery.PREFIX + alias + "." + key
                        + " is not a known key; " + suggestion + "accepted keys: "
                        + Arrays.stream(ConnectionKey.values())
                                .map(ConnectionKey::key)
                                .collect(Collectors.joining(", ")));
            }
        }
        readLocation();
        readCredentials();
        readDatabase();
        readTls();
        settings.connectTimeout = values.duration(ConnectionKey.CONNECT_TIMEOUT, true);
        if (settings.connectTimeout == null) {
            settings.connectTimeout =
                    ConnectionKey.CONNECT_TIMEOUT.declaration().defaultDuration();
        }
        // gRPC refuses zero for these three, and would only say so when connecting
        settings.keepAliveTime = values.duration(ConnectionKey.KEEP_ALIVE_TIME, true);
        settings.keepAliveTimeout = values.duration(ConnectionKey.KEEP_ALIVE_TIMEOUT, true);
        settings.idleTimeout = values.duration(ConnectionKey.IDLE_TIMEOUT, true);
        settings.rpcDeadline = values.duration(ConnectionKey.RPC_DEADLINE, false);
        settings.keepAliveWithoutCalls = values.bool(ConnectionKey.KEEP_ALIVE_WITHOUT_CALLS);
        settings.connectOnStartup = boolOrDefault(ConnectionKey.CONNECT_ON_STARTUP);
        settings.healthEnabled = boolOrDefault(ConnectionKey.HEALTH_ENABLED);
        settings.telemetryEnabled = values.bool(ConnectionKey.TELEMETRY_ENABLED); // unset: the global switch
        settings.recordFilters = boolOrDefault(ConnectionKey.TELEMETRY_RECORD_FILTERS);
        settings.retry = RetryReader.read(alias, values);
        settings.collections = CollectionsReader.read(alias, values);
        return problems.size() == problemsBefore ? settings.build() : null;
    }

    private void readLocation() {
        String address = values.value(ConnectionKey.ADDRESS);
        String uri = values.value(ConnectionKey.URI);
        String host = values.value(ConnectionKey.HOST);
        String port = values.value(ConnectionKey.PORT);
        if (address != null) {
            values.ignored(ConnectionKey.ADDRESS, ConnectionKey.URI, ConnectionKey.HOST, ConnectionKey.PORT);
            readAddress(address);
        } else if (uri != null) {
            values.ignored(ConnectionKey.URI, ConnectionKey.HOST, ConnectionKey.PORT);
            readUri(uri, ConnectionKey.URI.fullKey(alias));
        } else if (host != null || port != null) {
            settings.host = host == null ? ConnectionKey.HOST.declaration().defaultText() : stripBrackets(host);
            String problem = HostNames.locationProblem(settings.host);
            if (problem != null) {
                values.problem(ConnectionKey.HOST, host, problem);
            }
            settings.port = ConnectionKey.PORT.declaration().defaultInteger();
            if (port != null) {
                Integer parsed = port(port);
                if (parsed == null) {
                    values.problem(ConnectionKey.PORT, port, "is not a port; expected " + PORT_FORM);
                } else {
                    settings.port = parsed;
                }
            }
        } else if (MilvusConnection.DEFAULT_ALIAS.equals(alias)) {
            String fromEnvironment = environment.apply(ConnectionSettingsReader.ENV_URI);
            if (fromEnvironment != null && !fromEnvironment.isBlank()) {
                readUri(fromEnvironment.trim(), "environment variable " + ConnectionSettingsReader.ENV_URI);
            } else {
                readUri(ConnectionSettingsReader.DEFAULT_URI, "the default");
            }
        } else {
            problems.add(values.prefix() + "no location is configured; set " + ConnectionKey.URI.fullKey(alias)
                    + " (e.g. http://localhost:19530), or " + ConnectionKey.ADDRESS.fullKey(alias)
                    + " (host:port), or " + ConnectionKey.HOST.fullKey(alias) + " and "
                    + ConnectionKey.PORT.fullKey(alias));
        }
    }

    private void readAddress(String address) {
        String form = "expected e.g. localhost:19530 with a port from 1 to 65535 ([::1]:19530 for IPv6)";
        if (MilvusUri.indexOfAny(address, "/@?#") >= 0 || address.lastIndexOf(':') <= 0 || address.endsWith("]")) {
            values.problem(ConnectionKey.ADDRESS, address, "is not host:port; " + form);
            return;
        }
        try {
            MilvusUri parsed = MilvusUri.parse("http://" + address);
            settings.host = parsed.host();
            settings.port = parsed.port();
        } catch (MilvusUri.Invalid invalid) {
            values.problem(ConnectionKey.ADDRESS, address, invalid.getMessage() + "; " + form);
        }
    }

    private void readUri(String uri, String source) {
        MilvusUri parsed;
        try {
            parsed = MilvusUri.parse(uri);
        } catch (MilvusUri.Invalid invalid) {
            values.uriProblem(source, MilvusUri.redact(uri), invalid.getMessage());
            return;
        }
        settings.host = parsed.host();
        settings.port = parsed.port();
        settings.secure = parsed.secure();
        uriUser = parsed.user();
        uriPassword = parsed.password();
        uriToken = parsed.token();
        uriDatabase = parsed.database();
    }

    private void readCredentials() {
        if (values.value(ConnectionKey.TOKEN_FILE) != null
                || values.value(ConnectionKey.PASSWORD_FILE) != null
                || values.value(ConnectionKey.USER_FILE) != null
                || values.value(ConnectionKey.CREDENTIALS_PROVIDER) != null) {
            settings.credentialsSource =
                    CredentialsSourceReader.read(alias, values, uriUser != null || uriToken != null);
            settings.user = settings.credentialsSource == null ? null : settings.credentialsSource.user();
            return;
        }
        String token = values.value(ConnectionKey.TOKEN);
        String user = values.value(ConnectionKey.USER);
        String password = values.value(ConnectionKey.PASSWORD);
        boolean uriCredentials = uriUser != null || uriToken != null;
        if (token != null) {
            if (user != null || password != null || uriCredentials) {
                LOG.info(() -> values.prefix() + "user and password are ignored because "
                        + ConnectionKey.TOKEN.fullKey(alias) + " is set");
            }
            settings.authorization = token;
        } else if (uriCredentials) {
            if (user != null || password != null) {
                LOG.info(() -> values.prefix() + ConnectionKey.USER.fullKey(alias) + " and "
                        + ConnectionKey.PASSWORD.fullKey(alias)
                        + " are ignored because the uri carries credentials");
            }
            settings.user = uriUser;
            settings.authorization = uriToken != null ? uriToken : uriUser + ":" + uriPassword;
        } else if (user != null && password != null) {
            if (user.indexOf(':') >= 0) {
                values.problem(
                        ConnectionKey.USER,
                        user,
                        "holds a ':', which separates user and password; " + "expected a user name without ':'");
            }
            settings.user = user;
            settings.authorization = user + ":" + password;
        } else if (user != null) {
            values.problem(
                    ConnectionKey.USER,
                    user,
                    "is set without a password; also set " + ConnectionKey.PASSWORD.fullKey(alias) + ", or use "
                            + ConnectionKey.TOKEN.fullKey(alias));
        } else if (password != null) {
            problems.add(values.prefix() + ConnectionKey.PASSWORD.fullKey(alias) + " is set without a user; also set "
                    + ConnectionKey.USER.fullKey(alias) + ", or use " + ConnectionKey.TOKEN.fullKey(alias));
        }
    }

    private void readDatabase() {
        String database = values.value(ConnectionKey.DB_NAME);
        if (database != null && !DATABASE.matcher(database).matches()) {
            values.problem(ConnectionKey.DB_NAME, database, DATABASE_FORM);
            return;
        }
        if (database == null
                && uriDatabase != null
                && !DATABASE.matcher(uriDatabase).matches()) {
            values.problem(
                    ConnectionKey.URI,
                    MilvusUri.redact(
                            values.value(ConnectionKey.URI) == null ? uriDatabase : values.value(ConnectionKey.URI)),
                    "has a database (its path) that " + DATABASE_FORM);
            return;
        }
        settings.databaseName = database != null ? database : uriDatabase;
    }

    private void readTls() {
        Boolean secure = values.bool(ConnectionKey.SECURE);
        settings.serverPemPath = values.file(ConnectionKey.SERVER_PEM_PATH);
        settings.caPemPath = values.file(ConnectionKey.CA_PEM_PATH);
        settings.clientPemPath = values.file(ConnectionKey.CLIENT_PEM_PATH);
        settings.clientKeyPath = values.file(ConnectionKey.CLIENT_KEY_PATH);
        settings.stores = new CertificateStoresReader(values).read();
        String serverName = values.value(ConnectionKey.SERVER_NAME);
        boolean clientCertificate = values.value(ConnectionKey.CLIENT_PEM_PATH) != null
                || values.value(ConnectionKey.CLIENT_KEY_PATH) != null;
        boolean stores = values.value(ConnectionKey.TRUST_STORE) != null
                || values.value(ConnectionKey.KEY_STORE) != null
                || values.value(ConnectionKey.TLS_CONFIGURATION_NAME) != null;
        if (stores) {
            TlsKeyRules.check(values, problems);
        } else if (clientCertificate) {
            List<String> missing = new ArrayList<>();
            for (ConnectionKey key :
                    List.of(ConnectionKey.CLIENT_PEM_PATH, ConnectionKey.CLIENT_KEY_PATH, ConnectionKey.CA_PEM_PATH)) {
                if (values.value(key) == null) {
                    missing.add(key.fullKey(alias));
                }
            }
            if (!missing.isEmpty()) {
                problems.add(values.prefix() + "mutual TLS needs " + ConnectionKey.CLIENT_PEM_PATH.fullKey(alias) + ", "
                        + ConnectionKey.CLIENT_KEY_PATH.fullKey(alias) + " and "
                        + ConnectionKey.CA_PEM_PATH.fullKey(alias) + " together; set "
                        + String.join(" and ", missing));
            } else if (values.value(ConnectionKey.SERVER_PEM_PATH) != null) {
                LOG.info(() -> values.prefix() + ConnectionKey.SERVER_PEM_PATH.fullKey(alias) + " is ignored because "
                        + "mutual TLS trusts the server through " + ConnectionKey.CA_PEM_PATH.fullKey(alias));
            }
        }
        boolean tlsFiles = clientCertificate
                || stores
                || values.value(ConnectionKey.SERVER_PEM_PATH) != null
                || values.value(ConnectionKey.CA_PEM_PATH) != null;
        if (Boolean.TRUE.equals(secure)) {
            settings.secure = true;
        } else if (Boolean.FALSE.equals(secure) && settings.secure) {
            LOG.info(() -> values.prefix() + ConnectionKey.SECURE.fullKey(alias)
                    + "=false is ignored because the uri is https");
        } else if (Boolean.FALSE.equals(secure) && tlsFiles) {
            values.problem(
                    ConnectionKey.SECURE,
                    "false",
                    "turns TLS off, but certificate paths are set; "
                            + "set it to true, or remove the -pem-path and -key-path keys");
        } else if (tlsFiles) {
            settings.secure = true;
        }
        if (serverName != null && (serverName.indexOf(':') >= 0 || HostNames.problem(serverName) != null)) {
            values.problem(
                    ConnectionKey.SERVER_NAME,
                    serverName,
                    "is not a host name; expected the name the server's "
                            + "certificate carries, e.g. milvus.example.com");
        }
        if (settings.secure && settings.host != null) {
            settings.serverName = serverName != null ? serverName : settings.host;
        } else if (serverName != null) {
            LOG.info(() ->
                    values.prefix() + ConnectionKey.SERVER_NAME.fullKey(alias) + " is ignored because TLS is off");
        }
    }

    private boolean boolOrDefault(ConnectionKey key) {
        Boolean value = values.bool(key);
        return value != null ? value : key.declaration().defaultBoolean();
    }

    /** A port: one to five ASCII digits ({@code Integer.parseInt} also takes a sign and other scripts' digits). */
    static Integer port(String text) {
        String digits = text.trim();
        if (!digits.matches("[0-9]{1,5}")) {
            return null;
        }
        int port = Integer.parseInt(digits);
        return port >= 1 && port <= 65535 ? port : null;
    }

    /**
     * An alias as it may be quoted: control characters, and characters that change how text is
     * shown (bidirectional overrides, zero-width), written as {@code \\uXXXX}.
     */
    static String printable(String alias) {
        StringBuilder shown = new StringBuilder(alias.length());
        for (int i = 0; i < alias.length(); i++) {
            char c = alias.charAt(i);
            int type = Character.getType(c);
            if (Character.isISOControl(c)
                    || type == Character.FORMAT
                    || type == Character.LINE_SEPARATOR
                    || type == Character.PARAGRAPH_SEPARATOR) {
                shown.append(String.format("\\u%04X", (int) c));
            } else {
                shown.append(c);
            }
        }
        return shown.toString();
    }

    static String stripBrackets(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }
}
