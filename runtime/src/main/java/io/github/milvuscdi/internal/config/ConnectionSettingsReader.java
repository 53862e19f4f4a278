package io.github.milvuscdi.internal.config;

import io.github.milvuscdi.MilvusConfigurationException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Turns the keys of one alias into validated {@link ConnectionSettings}: the one place where
 * connection configuration is parsed and checked (the rules are in {@code AliasReader}).
 *
 * <p>Each problem names the alias, the full key, the value (never a password or token) and what
 * would be accepted. Location precedence follows pymilvus: {@code address}, then {@code uri}, then
 * {@code host}/{@code port}; a key that loses is logged as ignored. With no location, alias
 * {@code default} uses the {@code MILVUS_URI} environment variable, else {@value #DEFAULT_URI}.
 *
 * <pre>{@code
 * ConnectionSettings search = new ConnectionSettingsReader().read("search", Map.of("uri", "http://milvus:19530"));
 * }</pre>
 *
 * <p>Thread-safe: holds nothing but the environment lookup.
 */
public final class ConnectionSettingsReader {

    /** The environment variable alias {@code default} falls back to when it has no location. */
    public static final String ENV_URI = "MILVUS_URI";

    /** Where alias {@code default} connects when nothing else says where. */
    public static final String DEFAULT_URI = "http://localhost:19530";

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
        ConnectionSettings settings =
                read(alias, key -> Optional.ofNullable(keys.get(key.key())), keys.keySet(), problems);
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
    ConnectionSettings read(
            String alias,
            Function<ConnectionKey, Optional<String>> lookup,
            Collection<String> writtenKeys,
            List<String> problems) {
        return new AliasReader(alias, lookup, environment, problems).read(writtenKeys);
    }
}
