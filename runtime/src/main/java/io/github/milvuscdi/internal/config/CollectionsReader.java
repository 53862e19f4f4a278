package io.github.milvuscdi.internal.config;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads an alias's {@code health.collections} and {@code collections.load} into its
 * {@link CollectionSettings}, for {@link AliasReader}.
 *
 * <p>Contract: a list holds Milvus collection names separated by commas, blanks and repeats dropped;
 * a name that is not one, or {@code collections.load=true} with no list, is a problem added through
 * {@link AliasValues} (naming the alias, the full key, the value, the fix), and the result is then
 * {@link CollectionSettings#NONE}. Stateless and thread-safe.
 */
final class CollectionsReader {

    private CollectionsReader() {}

    static CollectionSettings read(String alias, AliasValues values) {
        String listed = values.value(ConnectionKey.HEALTH_COLLECTIONS);
        Boolean load = values.bool(ConnectionKey.COLLECTIONS_LOAD);
        List<String> names = new ArrayList<>();
        if (listed != null) {
            for (String name : listed.split(",")) {
                String trimmed = name.strip();
                if (trimmed.isEmpty() || names.contains(trimmed)) {
                    continue;
                }
                if (!AliasReader.DATABASE.matcher(trimmed).matches()) {
                    values.problem(
                            ConnectionKey.HEALTH_COLLECTIONS,
                            listed,
                            "names '" + MilvusUri.redact(trimmed)
                                    + "', which is not a Milvus collection name; expected names separated"
                                    + " by commas, each of letters, digits and '_', starting with a letter or '_'");
                    return CollectionSettings.NONE;
                }
                names.add(trimmed);
            }
        }
        if (Boolean.TRUE.equals(load) && names.isEmpty()) {
            values.problem(
                    ConnectionKey.COLLECTIONS_LOAD,
                    "true",
                    "loads the collections listed in " + ConnectionKey.HEALTH_COLLECTIONS.fullKey(alias)
                            + ", and none is: list them there (e.g. notes,docs), or remove this key");
        }
        return names.isEmpty() ? CollectionSettings.NONE : new CollectionSettings(names, Boolean.TRUE.equals(load));
    }
}
