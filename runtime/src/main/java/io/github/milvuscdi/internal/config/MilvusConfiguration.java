package io.github.milvuscdi.internal.config;

import io.github.milvuscdi.MilvusConfigurationException;
import io.github.milvuscdi.MilvusConnection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeSet;
import org.eclipse.microprofile.config.Config;

/**
 * Everything the configuration says about Milvus, read and validated once: the settings of every
 * alias, the problems of those that are invalid, and the global readiness keys. A container reads
 * it once, while the application is deployed, on the deployment's thread, so that work done later
 * on threads the library does not own (readiness, background connects) never looks up a
 * configuration through whatever context class loader such a thread has.
 *
 * <pre>{@code
 * MilvusConfiguration configuration = MilvusConfiguration.read(config, Set.of("search"));
 * configuration.problems();                 // every problem of every alias, to fail a deployment
 * configuration.settings("search");         // Optional<ConnectionSettings>
 * }</pre>
 *
 * <p>The global keys, their defaults and meanings are the table {@link GlobalKey}.
 *
 * <p>Immutable and thread-safe.
 */
public final class MilvusConfiguration {

    private final ConnectionSettingsReader reader;
    private final SortedSet<String> aliases;
    private final Map<String, ConnectionSettings> settings;
    private final Map<String, List<String>> aliasProblems;
    private final boolean healthEnabled;
    private final Duration healthTimeout;
    private final List<String> globalProblems;
    private final ClassLoader applicationLoader;
    private final boolean telemetryEnabled;
    private final List<String> telemetryProblems;

    private MilvusConfiguration(
            ConnectionSettingsReader reader,
            SortedSet<String> aliases,
            Map<String, ConnectionSettings> settings,
            Map<String, List<String>> aliasProblems,
            boolean healthEnabled,
            Duration healthTimeout,
            List<String> globalProblems,
            boolean telemetryEnabled,
            List<String> telemetryProblems) {
        this.reader = reader;
        this.aliases = Collections.unmodifiableSortedSet(aliases);
        this.settings = Map.copyOf(settings);
        // in the order read (by alias): Map.copyOf would list the problems in an order that changes per JVM
        this.aliasProblems = Collections.unmodifiableMap(new LinkedHashMap<>(aliasProblems));
        this.healthEnabled = healthEnabled;
        this.healthTimeout = healthTimeout;
        this.globalProblems = List.copyOf(globalProblems);
        this.telemetryEnabled = telemetryEnabled;
        this.telemetryProblems = List.copyOf(telemetryProblems);
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        this.applicationLoader = context != null ? context : MilvusConfiguration.class.getClassLoader();
    }

    /**
     * Reads a container's configuration: the aliases configured under {@code milvus.connections.},
     * plus those injected, and the global keys. Values are read through {@code Config}, so
     * environment variables such as {@code MILVUS_CONNECTIONS_SEARCH_URI} override them.
     *
     * @param config the application's configuration, or {@code null} for none
     * @param injected aliases named at injection points; they belong to the container too
     * @return the configuration; its {@link #problems()} say what is invalid
     */
    public static MilvusConfiguration read(Config config, Collection<String> injected) {
        return read(config, injected, new ConnectionSettingsReader());
    }

    /**
     * As {@link #read(Config, Collection)}, with a reader of one's own (another environment).
     *
     * @param config the configuration, or {@code null} for none
     * @param injected aliases named at injection points
     * @param reader reads each alias
     * @return the configuration
     */
    public static MilvusConfiguration read(
            Config config, Collection<String> injected, ConnectionSettingsReader reader) {
        SortedMap<String, Set<String>> written =
                config == null ? Collections.emptySortedMap() : AliasDiscovery.writtenKeys(config.getPropertyNames());
        SortedSet<String> aliases = new TreeSet<>(written.keySet());
        aliases.addAll(injected);
        Map<String, ConnectionSettings> settings = new LinkedHashMap<>();
        Map<String, List<String>> problems = new LinkedHashMap<>();
        Set<String> toRead = new TreeSet<>(aliases);
        toRead.add(MilvusConnection.DEFAULT_ALIAS); // always known, from MILVUS_URI or localhost
        for (String alias : toRead) {
            List<String> found = new ArrayList<>();
            ConnectionSettings read = reader.read(
                    alias,
                    key -> config == null
                            ? Optional.empty()
                            : config.getOptionalValue(key.fullKey(alias), String.class),
                    written.getOrDefault(alias, Set.of()),
                    found);
            if (read != null) {
                settings.put(alias, read);
            } else {
                problems.put(alias, found);
            }
        }
        List<String> global = new ArrayList<>();
        boolean healthEnabled = healthEnabled(config, global);
        Duration healthTimeout = healthTimeout(config, global);
        // reported with every other problem, but not by readiness, which is about health keys
        List<String> telemetry = new ArrayList<>();
        boolean telemetryEnabled = telemetryEnabled(config, telemetry);
        return new MilvusConfiguration(
                reader, aliases, settings, problems, healthEnabled, healthTimeout, global, telemetryEnabled, telemetry);
    }

    /**
     * The aliases of the configuration: those configured, plus those injected.
     *
     * @return the aliases, sorted; {@code default} only when configured or injected
     */
    public SortedSet<String> aliases() {
        return aliases;
    }

    /**
     * The settings of an alias: one of {@link #aliases()}, or {@code default}, which always has a location.
     *
     * @param alias the alias
     * @return the settings; empty when the configuration does not know the alias
     * @throws MilvusConfigurationException when the alias's keys are invalid
     */
    public Optional<ConnectionSettings> settings(String alias) {
        List<String> problems = aliasProblems.get(alias);
        if (problems != null) {
            throw new MilvusConfigurationException(problems);
        }
        return Optional.ofNullable(settings.get(alias));
    }

    /**
     * Reads settings given at run time for an alias, with the same rules.
     *
     * @param alias the alias
     * @param keys short keys to values
     * @return the settings
     * @throws MilvusConfigurationException listing every problem
     */
    public ConnectionSettings read(String alias, Map<String, String> keys) {
        return reader.read(alias, keys);
    }

    /**
     * Every problem of the container's aliases and of the global keys, one sentence each.
     *
     * @return the problems; empty when all is well
     */
    public List<String> problems() {
        List<String> all = new ArrayList<>();
        aliasProblems.forEach((alias, problems) -> {
            if (aliases.contains(alias)) {
                all.addAll(problems);
            }
        });
        all.addAll(globalProblems);
        all.addAll(telemetryProblems);
        return all;
    }

    /** @return whether the readiness check probes anything ({@code milvus.health.enabled}) */
    public boolean healthEnabled() {
        return healthEnabled;
    }

    /** @return the bound on each alias's readiness probe ({@code milvus.health.timeout}), positive */
    public Duration healthTimeout() {
        return healthTimeout;
    }

    /**
     * The global telemetry switch; an alias's own {@code telemetry.enabled} wins over it.
     *
     * @return {@code milvus.telemetry.enabled}; its default when not set
     */
    public boolean telemetryEnabled() {
        return telemetryEnabled;
    }

    /** @return the problems of the global readiness keys; empty when they are valid */
    public List<String> healthProblems() {
        return globalProblems;
    }

    /**
     * The class loader of the application, as the thread that read this configuration saw it: work
     * done for the application on threads it does not own runs with it as context class loader
     * (the SDK's logging, the container's event notifications look it up).
     *
     * @return the context class loader at the time of reading, else this library's
     */
    public ClassLoader applicationLoader() {
        return applicationLoader;
    }

    @Override
    public String toString() {
        return "MilvusConfiguration" + aliases;
    }

    private static String global(Config config, KeyDeclaration key) {
        return config == null
                ? null
                : config.getOptionalValue(key.key(), String.class)
                        .map(String::trim)
                        .filter(value -> !value.isEmpty())
                        .orElse(null);
    }

    private static boolean healthEnabled(Config config, List<String> problems) {
        return bool(config, GlobalKey.HEALTH_ENABLED, problems);
    }

    private static boolean telemetryEnabled(Config config, List<String> problems) {
        return bool(config, GlobalKey.TELEMETRY_ENABLED, problems);
    }

    private static boolean bool(Config config, KeyDeclaration key, List<String> problems) {
        String text = global(config, key);
        if (text == null) {
            return key.defaultBoolean();
        }
        if (text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(text.toLowerCase(Locale.ROOT));
        }
        problems.add(key.key() + "='" + MilvusUri.redact(text) + "' is not a boolean; expected true or false");
        return key.defaultBoolean();
    }

    private static Duration healthTimeout(Config config, List<String> problems) {
        KeyDeclaration key = GlobalKey.HEALTH_TIMEOUT;
        String text = global(config, key);
        if (text == null) {
            return key.defaultDuration();
        }
        Durations.Parsed parsed = Durations.parse(text, true);
        if (parsed.complaint() != null) {
            problems.add(key.key() + "='" + MilvusUri.redact(text) + "' " + parsed.complaint());
            return key.defaultDuration();
        }
        return parsed.duration();
    }
}
