package io.github.milvuscdi.internal.telemetry;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One RPC of Milvus's service as one alias records it: its name, where its requests and responses keep
 * what a span records, and per database and collection the span's name and the histogram's attributes,
 * built at the first call of each and then only looked up.
 *
 * <p>Why: a traced call runs between two RPCs whose gRPC, Netty and protobuf work has evicted it from the
 * processor's caches, so each object it builds and each map it hashes a composite key into costs several
 * times what it costs in a loop. A call of a known kind makes no key and no attributes: two lookups by
 * strings whose hashes are kept.
 *
 * <p>Thread-safe.
 */
final class Operation {

    /**
     * How many series (database, collection) of one RPC keep what they record; past it, each call builds
     * its own. A dashboard's series are as many.
     */
    static final int MAX_SERIES = 1_000;

    /** How many kinds of failure of one series keep their histogram attributes. */
    private static final int MAX_FAILURES = 100;

    private final String name;
    private final boolean flush;
    private final Attributes connection;
    private final String configuredDatabase;
    private final Map<String, Series> inConfiguredDatabase = new ConcurrentHashMap<>();
    private final Map<String, Map<String, Series>> inOtherDatabases = new ConcurrentHashMap<>();
    private volatile MessageFields requests;
    private volatile MessageFields responses;

    /**
     * @param name the RPC's name, {@code HasCollection}
     * @param connection the alias's attributes, which every point has
     * @param configuredDatabase the database of requests that name none
     */
    Operation(String name, Attributes connection, String configuredDatabase) {
        this.name = name;
        this.flush = name.equals(FlushWaitSpans.FLUSH);
        this.connection = connection;
        this.configuredDatabase = configuredDatabase;
    }

    String name() {
        return name;
    }

    /** @return whether this is {@code Flush}, whose wait for the flushed state is a span of its own */
    boolean isFlush() {
        return flush;
    }

    /** @return where a request of this RPC keeps its collection, database and filter */
    MessageFields requestFields(com.google.protobuf.Message request) {
        MessageFields known = requests;
        if (known == null || !known.describes(request)) {
            known = MessageFields.of(request);
            requests = known;
        }
        return known;
    }

    /** @return where a response of this RPC keeps its status */
    MessageFields responseFields(com.google.protobuf.Message response) {
        MessageFields known = responses;
        if (known == null || !known.describes(response)) {
            known = MessageFields.of(response);
            responses = known;
        }
        return known;
    }

    /**
     * @param database the request's database; {@code null} for the configured one
     * @param collection the request's collection; {@code null} when it names none
     * @return what calls on that collection record
     */
    Series series(String database, String collection) {
        String inDatabase = database != null ? database : configuredDatabase;
        Map<String, Series> byCollection = inDatabase.equals(configuredDatabase)
                ? inConfiguredDatabase
                : inOtherDatabases.computeIfAbsent(inDatabase, ignored -> new ConcurrentHashMap<>());
        String key = collection != null ? collection : "";
        Series known = byCollection.get(key);
        if (known != null) {
            return known;
        }
        Series made = new Series(inDatabase, collection);
        if (byCollection.size() < MAX_SERIES) {
            Series raced = byCollection.putIfAbsent(key, made);
            return raced != null ? raced : made;
        }
        return made;
    }

    /** What the calls of this RPC on one collection of one database record. */
    final class Series {

        private final String database;
        private final String collection;
        private final String spanName;
        private final Attributes succeeded;
        private final Map<String, Attributes> failed = new ConcurrentHashMap<>();

        private Series(String database, String collection) {
            this.database = database;
            this.collection = collection;
            // OpenTelemetry's database conventions: "<operation> <collection>"
            this.spanName = collection != null ? name + " " + collection : name;
            this.succeeded = point(null);
        }

        String database() {
            return database;
        }

        /** @return the collection; {@code null} when the request names none */
        String collection() {
            return collection;
        }

        String spanName() {
            return spanName;
        }

        /**
         * @param errorType the failure's {@code error.type}; {@code null} for a success
         * @return the histogram's attributes of a call of this series with that outcome
         */
        Attributes point(String errorType) {
            if (errorType == null && succeeded != null) {
                return succeeded;
            }
            if (errorType != null) {
                Attributes known = failed.get(errorType);
                if (known != null) {
                    return known;
                }
            }
            AttributesBuilder point = connection.toBuilder()
                    .put(TracingInterceptor.DB_OPERATION_NAME, name)
                    .put(TracingInterceptor.DB_NAMESPACE, database);
            if (collection != null) {
                point.put(TracingInterceptor.DB_COLLECTION_NAME, collection);
            }
            if (errorType == null) {
                return point.build();
            }
            Attributes built =
                    point.put(TracingInterceptor.ERROR_TYPE, errorType).build();
            if (failed.size() < MAX_FAILURES) {
                failed.putIfAbsent(errorType, built);
            }
            return built;
        }
    }
}
