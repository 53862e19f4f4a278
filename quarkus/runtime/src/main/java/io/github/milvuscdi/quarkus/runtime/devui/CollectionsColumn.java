package io.github.milvuscdi.quarkus.runtime.devui;

import io.github.milvuscdi.internal.config.ConnectionKey;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.Config;

/**
 * The Dev UI card's collections column: per alias, the collections it lists in {@code health.collections}
 * and the load state readiness found for each ({@code notes loaded, docs does not exist}), read from the
 * alias's readiness entry, which carries them as {@code collections=[…]}. Collection names hold letters,
 * digits and underscores only, so the brackets cannot be part of one.
 */
final class CollectionsColumn {

    private static final Pattern COLLECTIONS = Pattern.compile(" collections=\\[([^\\]]*)\\]");

    private CollectionsColumn() {}

    /**
     * @param config the application's configuration
     * @param alias the alias
     * @param entry its readiness entry; {@code null} when there is none
     * @return each listed collection with its state; the listed collections and why no state is known
     *     when readiness did not reach them; {@code -} when the alias lists none
     */
    static String of(Config config, String alias, String entry) {
        String listed = config.getOptionalValue(ConnectionKey.HEALTH_COLLECTIONS.fullKey(alias), String.class)
                .map(String::strip)
                .orElse("");
        if (listed.isEmpty()) {
            return "-";
        }
        Matcher found = COLLECTIONS.matcher(entry == null ? "" : entry);
        if (found.find()) {
            return found.group(1);
        }
        return String.join(", ", listed.split("\\s*,\\s*")) + " (state unknown: the alias is not up)";
    }
}
