package io.github.milvuscdi.quarkus.deployment;

import io.quarkus.builder.item.SimpleBuildItem;
import java.util.Collections;
import java.util.SortedSet;

/** The aliases that get a milvus-lite Dev Service in this build; empty outside dev mode and tests. */
public final class MilvusDevServicesPlanBuildItem extends SimpleBuildItem {

    private final SortedSet<String> aliases;

    MilvusDevServicesPlanBuildItem(SortedSet<String> aliases) {
        this.aliases = Collections.unmodifiableSortedSet(aliases);
    }

    /** @return the aliases, sorted; never {@code null} */
    public SortedSet<String> aliases() {
        return aliases;
    }
}
