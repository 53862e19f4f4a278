package io.github.milvuscdi.quarkus.deployment;

import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The configuration keys the build steps read, by their documented names (docs/configuration.md),
 * not through milvus-cdi's internal reader: the keys are the library's public contract.
 */
final class MilvusKeys {

    /** Every connection key starts with this: {@code milvus.connections.<alias>.<key>}. */
    static final String PREFIX = "milvus.connections.";
    /** The environment variable alias {@code default} falls back to when it has no location. */
    static final String ENV_URI = "MILVUS_URI";

    static final String URI = "uri";
    static final String ADDRESS = "address";
    static final String HOST = "host";
    static final String PORT = "port";
    static final String KEEP_ALIVE_WITHOUT_CALLS = "keep-alive-without-calls";

    private MilvusKeys() {}

    /** @return {@code milvus.connections.<alias>.<key>} */
    static String fullKey(String alias, String key) {
        return PREFIX + alias + "." + key;
    }

    /**
     * The aliases named by property names: the segment after {@value #PREFIX} in
     * {@code milvus.connections.<alias>.<key>}, as milvus-cdi finds them.
     */
    static SortedSet<String> configuredAliases(Iterable<String> propertyNames) {
        SortedSet<String> aliases = new TreeSet<>();
        for (String name : propertyNames) {
            int dot = name.startsWith(PREFIX) ? name.indexOf('.', PREFIX.length()) : -1;
            if (dot > PREFIX.length() && dot < name.length() - 1) {
                aliases.add(name.substring(PREFIX.length(), dot));
            }
        }
        return aliases;
    }
}
