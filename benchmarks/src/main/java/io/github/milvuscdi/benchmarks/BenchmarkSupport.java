package io.github.milvuscdi.benchmarks;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.Config;

/**
 * What the benchmarks share: a configuration of {@code n} aliases, and quiet logging. Stateless.
 */
final class BenchmarkSupport {

    private BenchmarkSupport() {}

    /**
     * The alias names of a configuration of {@code count} aliases: {@code alias000}, {@code alias001}, ….
     *
     * @param count how many, 0 or more
     * @return the names, sorted
     */
    static SortedSet<String> aliasNames(int count) {
        SortedSet<String> names = new TreeSet<>();
        for (int i = 0; i < count; i++) {
            names.add(String.format("alias%03d", i));
        }
        return names;
    }

    /**
     * Four keys per alias, all valid: {@code uri}, {@code token}, {@code db-name} and
     * {@code connect-timeout}. Nothing here is ever connected to.
     *
     * @param count how many aliases, 0 or more
     * @return property name to value, in alias order
     */
    static Map<String, String> aliasProperties(int count) {
        Map<String, String> properties = new LinkedHashMap<>();
        int i = 0;
        for (String alias : aliasNames(count)) {
            String prefix = "milvus.connections." + alias + ".";
            properties.put(prefix + "uri", "http://milvus-" + i + ".example.internal:19530");
            properties.put(prefix + "token", "bench:secret-" + i);
            properties.put(prefix + "db-name", "db_" + i);
            properties.put(prefix + "connect-timeout", "5s");
            i++;
        }
        return properties;
    }

    /**
     * A SmallRye Config holding only {@code properties}: no system properties, no environment, so
     * the machine running the benchmark cannot change what is measured.
     *
     * @param properties property name to value
     * @return the configuration
     */
    static Config config(Map<String, String> properties) {
        return new SmallRyeConfigBuilder()
                .withSources(new PropertiesConfigSource(properties, "benchmark", 500))
                .build();
    }

    /**
     * Lowers java.util.logging (where the SDK, Weld and our runtime log, through slf4j-jdk14 and
     * jboss-logging) to warnings, so that per-operation INFO lines such as "Opened Milvus
     * connection" and Weld's boot banner measure neither console I/O nor fill JMH's output.
     */
    static void quietLogging() {
        Logger.getLogger("").setLevel(Level.WARNING);
    }
}
