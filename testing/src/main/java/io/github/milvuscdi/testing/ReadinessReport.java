package io.github.milvuscdi.testing;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.time.Duration;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.function.Predicate;

/**
 * The {@code milvus} check of a MicroProfile Health answer ({@code /health/ready}), as a test reads
 * it: the overall status, the check's status and its entries, one per alias.
 *
 * <pre>{@code
 * ReadinessReport report = ReadinessReport.await(() -> get("/health/ready"),
 *         r -> r.isUp("archive"), Duration.ofSeconds(60));
 * assertThat(report.entry("archive")).startsWith("UP " + archive.address());
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class ReadinessReport {

    /** The name of the library's readiness check. */
    public static final String CHECK = "milvus";

    private static final Duration POLL = Duration.ofMillis(500);

    private final String overall;
    private final String status;
    private final Map<String, String> entries;
    private final String body;

    private ReadinessReport(String overall, String status, Map<String, String> entries, String body) {
        this.overall = overall;
        this.status = status;
        this.entries = Collections.unmodifiableMap(entries);
        this.body = body;
    }

    /**
     * Reads a health answer's body.
     *
     * @param body the JSON a health endpoint answered; not {@code null}
     * @return the report; {@link #hasCheck()} is {@code false} when the body is no health report or
     *         lists no check named {@code milvus}
     */
    public static ReadinessReport parse(String body) {
        Objects.requireNonNull(body, "body");
        JsonElement json;
        try {
            json = JsonParser.parseString(body);
        } catch (RuntimeException notJson) {
            return new ReadinessReport(null, null, Map.of(), body);
        }
        if (!json.isJsonObject() || !json.getAsJsonObject().has("checks")) {
            return new ReadinessReport(null, null, Map.of(), body);
        }
        JsonObject report = json.getAsJsonObject();
        String overall = report.has("status") ? report.get("status").getAsString() : null;
        for (JsonElement element : report.getAsJsonArray("checks")) {
            JsonObject check = element.getAsJsonObject();
            if (CHECK.equals(check.get("name").getAsString())) {
                Map<String, String> entries = new TreeMap<>();
                if (check.has("data")) {
                    check.getAsJsonObject("data").entrySet()
                            .forEach(entry -> entries.put(entry.getKey(), entry.getValue().getAsString()));
                }
                return new ReadinessReport(overall, check.get("status").getAsString(), entries, body);
            }
        }
        return new ReadinessReport(overall, null, Map.of(), body);
    }

    /**
     * Asks {@code probe} for a health answer every half second until the report passes
     * {@code condition}.
     *
     * @param probe returns the body of one health answer; an exception counts as "not yet"
     * @return the first report that passed
     * @throws AssertionError when none passed within {@code timeout}, quoting the last answer
     */
    public static ReadinessReport await(Callable<String> probe, Predicate<ReadinessReport> condition,
            Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "no answer";
        while (true) {
            try {
                ReadinessReport report = parse(probe.call());
                last = report.body;
                if (condition.test(report)) {
                    return report;
                }
            } catch (Exception notYet) {
                last = notYet.toString();
            }
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("The readiness report did not reach the expected state within "
                        + timeout.toMillis() + " ms; last answer: " + last);
            }
            try {
                Thread.sleep(POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for readiness", e);
            }
        }
    }

    /** @return whether the answer lists the check {@code milvus} */
    public boolean hasCheck() {
        return status != null;
    }

    /** @return the status of the whole answer ({@code UP} or {@code DOWN}); {@code null} when it has none */
    public String overall() {
        return overall;
    }

    /** @return the status of the check {@code milvus}; {@code null} when it is not listed */
    public String status() {
        return status;
    }

    /** @return the check's entries by alias (each {@code "UP host:port …"} or {@code "DOWN … reason=…"}); unmodifiable */
    public Map<String, String> entries() {
        return entries;
    }

    /** @return the entry of {@code alias}, or {@code null} when there is none */
    public String entry(String alias) {
        return entries.get(alias);
    }

    /** @return whether the entry of {@code alias} says {@code UP} */
    public boolean isUp(String alias) {
        String entry = entries.get(alias);
        return entry != null && entry.startsWith("UP ");
    }

    /** @return whether the entry of {@code alias} says {@code DOWN} */
    public boolean isDown(String alias) {
        String entry = entries.get(alias);
        return entry != null && entry.startsWith("DOWN ");
    }

    /** @return the answer's body as it came */
    public String body() {
        return body;
    }

    @Override
    public String toString() {
        return body;
    }
}
