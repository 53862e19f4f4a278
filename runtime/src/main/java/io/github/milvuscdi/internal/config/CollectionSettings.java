package io.github.milvuscdi.internal.config;

import java.util.List;

/**
 * The collections an alias's application needs loaded: readiness checks each of them
 * ({@code health.collections}), and with {@code collections.load=true} the library loads those that are
 * not, when the alias connects and after an outage.
 *
 * @param names the collection names, in the order configured, without duplicates; empty when none
 * @param load whether to load those that exist and are not loaded
 */
public record CollectionSettings(List<String> names, boolean load) {

    /** No collection checked, none loaded. */
    public static final CollectionSettings NONE = new CollectionSettings(List.of(), false);

    /** Copies the names. */
    public CollectionSettings {
        names = List.copyOf(names);
    }

    /** @return whether any collection is listed */
    public boolean any() {
        return !names.isEmpty();
    }
}
