package io.github.milvuscdi.cdi;

import io.github.milvuscdi.ConfiguringMilvusClient;
import io.github.milvuscdi.MilvusConfigurationException;
import io.github.milvuscdi.MilvusConnection;
import io.github.milvuscdi.client.ConnectionRegistry;
import io.github.milvuscdi.config.ConnectionSettings;
import io.github.milvuscdi.config.ConnectionSettingsReader;
import io.milvus.v2.client.MilvusClientV2;
import jakarta.enterprise.event.Event;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * What the portable and the build-compatible extension do, written once: collect aliases, check
 * the configuration, and create, start and destroy what the beans hold.
 *
 * <p>An instance collects the aliases named at injection points while the container is being
 * built; it is thread-safe. The static methods run when beans are created and destroyed.
 */
final class MilvusBeans {

    static final String CLIENT_TYPE = MilvusClientV2.class.getName();

    private static final Logger LOG = Logger.getLogger(MilvusBeans.class.getName());

    private final Set<String> injected = new ConcurrentSkipListSet<>();

    /** Records an alias named at an injection point of {@code MilvusClientV2}. */
    void injected(String alias) {
        injected.add(alias);
    }

    /**
     * Returns the container's aliases: those configured, plus those injected.
     *
     * @param config the configuration as the container boots
     * @return the aliases, sorted
     */
    SortedSet<String> aliases(Config config) {
        SortedSet<String> aliases = new TreeSet<>(ConnectionSettingsReader.configuredAliases(config.getPropertyNames()));
        aliases.addAll(injected);
        return aliases;
    }

    /**
     * Checks the configuration of every alias.
     *
     * @return every problem, one sentence each, naming alias, key and value; empty when all is well
     */
    List<String> problems(Config config) {
        List<String> problems = new ArrayList<>();
        try {
            new ConnectionSettingsReader().readAll(config, aliases(config));
        } catch (MilvusConfigurationException invalid) {
            problems.addAll(invalid.problems());
        }
        for (Consumer<Config> globalKey : List.<Consumer<Config>>of(ConnectionSettingsReader::healthEnabled,
                ConnectionSettingsReader::healthTimeout)) {
            try {
                globalKey.accept(config);
            } catch (MilvusConfigurationException invalid) {
                problems.addAll(invalid.problems());
            }
        }
        return problems;
    }

    /** @return the configuration the application sees, read at run time */
    static Config config() {
        return ConfigProvider.getConfig();
    }

    /**
     * Creates the registry behind the beans of one container.
     *
     * @param aliases the container's aliases: they cannot be disconnected or removed at run time
     * @param events fires {@link ConfiguringMilvusClient} before each client is built
     */
    static ConnectionRegistry newRegistry(Set<String> aliases, Supplier<Event<Object>> events) {
        ConnectionSettingsReader reader = new ConnectionSettingsReader();
        return new ConnectionRegistry(alias -> reader.configured(config(), alias),
                keys -> alias -> reader.read(alias, keys), aliases,
                (alias, builder) -> events.get()
                        .select(ConfiguringMilvusClient.class, MilvusConnection.Literal.of(alias))
                        .fire(new ConfiguringMilvusClient(alias, builder)));
    }

    /**
     * Connects the aliases that ask for it ({@code connect-on-startup=true}); the first failure
     * stops the application from starting.
     */
    static void connectOnStartup(ConnectionRegistry registry, Set<String> aliases) {
        // one read of the configuration for every alias, not one per alias
        Map<String, ConnectionSettings> settings = new ConnectionSettingsReader().readAll(config(), aliases);
        for (ConnectionSettings alias : settings.values()) {
            if (alias.connectOnStartup()) {
                LOG.info(() -> "Connecting Milvus alias '" + alias.alias() + "' to " + alias.address()
                        + " at startup (connect-on-startup=true)");
                registry.connect(alias.alias());
            }
        }
    }

    /** Closes what the registry still holds when the container stops. */
    static void shutdown(ConnectionRegistry registry) {
        registry.closeAll();
    }
}
