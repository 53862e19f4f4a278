package io.github.milvuscdi.internal.telemetry;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The names of the spans of one alias, {@code "<operation> <collection>"} as OpenTelemetry's database
 * conventions name them, made once per operation and collection rather than at every call.
 *
 * <p>Thread-safe.
 */
final class SpanNames {

    private final int max;
    private final Map<String, Map<String, String>> byOperation = new ConcurrentHashMap<>();

    /** @param max how many names are kept; past it, each call makes its own */
    SpanNames(int max) {
        this.max = max;
    }

    /** @return {@code operation + " " + collection}, the same instance for each call of the same kind */
    String of(String operation, String collection) {
        Map<String, String> byCollection = byOperation.get(operation);
        if (byCollection == null) {
            byCollection = byOperation.computeIfAbsent(operation, ignored -> new ConcurrentHashMap<>());
        }
        String name = byCollection.get(collection);
        if (name != null) {
            return name;
        }
        name = operation + " " + collection;
        if (byCollection.size() < max) {
            byCollection.putIfAbsent(collection, name);
        }
        return name;
    }
}
