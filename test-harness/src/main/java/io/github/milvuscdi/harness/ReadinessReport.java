package io.github.milvuscdi.harness;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import io.github.milvuscdi.testing.Await;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * A MicroProfile Health report ({@code /health/ready}, {@code /q/health/ready}, or SmallRye Health's
 * {@code getReadiness().getPayload()}) read as a probe reads it, and a bounded wait for the report
 * one expects.
 *
 * <pre>{@code
 * ReadinessReport report = ReadinessReport.parse(body);
 * report.status();                               // "UP" or "DOWN", the whole report's
 * report.check("milvus").status();               // one check's
 * report.check("milvus").entry("search");        // "UP 127.0.0.1:19530 db=default version=... latency=3ms"
 *
 * // wait, up to 60 s, until the server's answer says the archive is down
 * ReadinessReport down = ReadinessReport.awaitStatus(() -> ReadinessReport.parse(get("/health/ready")),
 *         r -> r.check("milvus").entry("archive").startsWith("DOWN "), Duration.ofSeconds(60));
 * }</pre>
 *
 * <p>Read with Gson, strictly (RFC 8259: no comments, no unquoted names, nothing after the value).
 * Immutable and thread-safe.
 */
public final class ReadinessReport {

    private final String json;
    private final String status;
    private final Map<String, Check> checks;

    private ReadinessReport(String json, String status, Map<String, Check> checks) {
        this.json = json;
        this.status = status;
        this.checks = checks;
    }

    /**
     * Reads a health report.
     *
     * @param json the report, as the health endpoint serves it
     * @return the report
     * @throws IllegalArgumentException when the text is not JSON, or not a health report (no
     *         {@code status}, or {@code checks} that is not a list of named checks)
     */
    public static ReadinessReport parse(String json) {
        if (json == null) {
            throw new IllegalArgumentException("not a health report: null");
        }
        JsonElement parsed = document(json);
        if (!(parsed instanceof JsonObject report)
                || !(report.get("status") instanceof JsonPrimitive status)
                || !status.isString()) {
            throw new IllegalArgumentException("not a health report (no \"status\"): " + json);
        }
        Map<String, Check> checks = new LinkedHashMap<>();
        JsonElement list = report.get("checks");
        if (list != null) {
            if (!(list instanceof JsonArray entries)) {
                throw new IllegalArgumentException("not a health report (\"checks\" is not a list): " + json);
            }
            for (JsonElement entry : entries) {
                if (!(entry instanceof JsonObject check)
                        || !(value(check.get("name")) instanceof String name)
                        || !(value(check.get("status")) instanceof String checkStatus)) {
                    throw new IllegalArgumentException("not a health report (a check without name or status): " + json);
                }
                Map<String, Object> data = new LinkedHashMap<>();
                if (check.get("data") instanceof JsonObject values) {
                    values.entrySet().forEach(member -> data.put(member.getKey(), value(member.getValue())));
                }
                checks.put(name, new Check(name, checkStatus, Collections.unmodifiableMap(data)));
            }
        }
        return new ReadinessReport(json, status.getAsString(), Collections.unmodifiableMap(checks));
    }

    /** One JSON value and nothing after it, read strictly (RFC 8259), as a probe would. */
    private static JsonElement document(String json) {
        try (JsonReader reader = new JsonReader(new StringReader(json))) {
            reader.setStrictness(Strictness.STRICT);
            JsonElement document;
            try {
                document = JsonParser.parseReader(reader);
            } catch (JsonParseException notJson) {
                throw new IllegalArgumentException(
                        "not a health report (not JSON: " + notJson.getMessage() + "): " + json, notJson);
            }
            if (!endsAfter(reader)) {
                throw new IllegalArgumentException("not a health report (text after the JSON value): " + json);
            }
            return document;
        } catch (IOException cannotHappen) {
            throw new UncheckedIOException(cannotHappen);
        }
    }

    private static boolean endsAfter(JsonReader reader) {
        try {
            return reader.peek() == JsonToken.END_DOCUMENT;
        } catch (IOException notJson) {
            return false;
        }
    }

    /** A JSON value as {@link Check#data()} holds it: String, Boolean, Long or Double, List, Map or null. */
    private static Object value(JsonElement element) {
        if (element == null || element.isJsonNull()) {
            return null;
        }
        if (element instanceof JsonPrimitive primitive) {
            if (primitive.isBoolean()) {
                return primitive.getAsBoolean();
            }
            if (primitive.isNumber()) {
                String number = primitive.getAsString();
                return number.matches("-?\\d+") ? (Object) Long.valueOf(number) : (Object) Double.valueOf(number);
            }
            return primitive.getAsString();
        }
        if (element instanceof JsonArray array) {
            List<Object> values = new ArrayList<>();
            array.forEach(item -> values.add(value(item)));
            return Collections.unmodifiableList(values);
        }
        Map<String, Object> members = new LinkedHashMap<>();
        element.getAsJsonObject().entrySet().forEach(member -> members.put(member.getKey(), value(member.getValue())));
        return Collections.unmodifiableMap(members);
    }

    /**
     * Asks for something again and again until it is what is expected, at most for a bound: the way
     * to wait for a server's state to show in a report, without guessing how long it takes. A call
     * that throws counts as "not yet"; its failure is named if the bound is reached.
     *
     * @param <T> what is asked for: a report, or a record of an HTTP status and a report...
     * @param supplier asks once; called on the caller's thread, {@link Await#POLL} apart
     * @param expected whether an answer is the one awaited
     * @param bound how long to keep asking
     * @return the first answer that is expected
     * @throws AssertionError when none was within the bound, naming the last answer or failure
     */
    public static <T> T awaitStatus(Supplier<T> supplier, Predicate<? super T> expected, Duration bound) {
        return Await.until(supplier, expected, bound);
    }

    /** @return the whole report's status, {@code UP} or {@code DOWN} */
    public String status() {
        return status;
    }

    /**
     * One check of the report.
     *
     * @param name the check's name, for instance {@code milvus}
     * @return the check
     * @throws AssertionError when the report has no such check, showing the report
     */
    public Check check(String name) {
        Check check = checks.get(name);
        if (check == null) {
            throw new AssertionError("no check named '" + name + "' in " + json);
        }
        return check;
    }

    /**
     * @param name the check's name
     * @return whether the report lists a check of that name
     */
    public boolean hasCheck(String name) {
        return checks.containsKey(name);
    }

    /** @return every check, by name, in the report's order */
    public Map<String, Check> checks() {
        return checks;
    }

    /** @return the report as it was read */
    public String json() {
        return json;
    }

    /** @return the report as it was read */
    @Override
    public String toString() {
        return json;
    }

    /**
     * One check: its name, status and data.
     *
     * @param name the check's name
     * @param status {@code UP} or {@code DOWN}
     * @param data the data, in the report's order: strings as {@code String}, booleans as
     *        {@code Boolean}, numbers as {@code Long} or {@code Double}; empty when the check has none
     */
    public record Check(String name, String status, Map<String, Object> data) {

        /** @return whether the check is {@code UP} */
        public boolean up() {
            return "UP".equals(status);
        }

        /**
         * A data entry, as text.
         *
         * @param key the entry's key, for Milvus CDI's check an alias
         * @return its value as text; empty when there is no such entry
         */
        public String entry(String key) {
            Object value = data.get(key);
            return value == null ? "" : value.toString();
        }

        /**
         * The text entries of the data.
         *
         * @return key to value, for every entry whose value is a string
         */
        public Map<String, String> entries() {
            Map<String, String> entries = new LinkedHashMap<>();
            data.forEach((key, value) -> {
                if (value instanceof String text) {
                    entries.put(key, text);
                }
            });
            return entries;
        }
    }
}
