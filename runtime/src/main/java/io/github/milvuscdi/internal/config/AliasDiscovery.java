package io.github.milvuscdi.internal.config;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Finds aliases in property names: an alias is the segment after {@value #PREFIX} in a name of the
 * form {@code milvus.connections.<alias>.<key>}. Stateless.
 */
public final class AliasDiscovery {

    /** Every connection key starts with this. */
    public static final String PREFIX = "milvus.connections.";

    private AliasDiscovery() {}

    /**
     * Finds the aliases named by property names.
     *
     * @param propertyNames every property name known to the configuration
     * @return the aliases, sorted
     */
    public static SortedSet<String> configuredAliases(Iterable<String> propertyNames) {
        return new TreeSet<>(writtenKeys(propertyNames).keySet());
    }

    /**
     * Groups the keys written under each alias, in one pass over the names.
     *
     * @param propertyNames every property name known to the configuration
     * @return alias to the keys written after {@code milvus.connections.<alias>.}, sorted by alias
     */
    static SortedMap<String, Set<String>> writtenKeys(Iterable<String> propertyNames) {
        Map<String, Set<String>> keys = new HashMap<>();
        for (String name : propertyNames) {
            int dot = name.startsWith(PREFIX) ? name.indexOf('.', PREFIX.length()) : -1;
            if (dot > PREFIX.length() && dot < name.length() - 1) {
                keys.computeIfAbsent(name.substring(PREFIX.length(), dot), alias -> new TreeSet<>())
                        .add(name.substring(dot + 1));
            }
        }
        return new TreeMap<>(keys);
    }
}
