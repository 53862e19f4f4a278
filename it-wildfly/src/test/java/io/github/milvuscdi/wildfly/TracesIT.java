package io.github.milvuscdi.wildfly;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.milvuscdi.harness.OtlpCollector;
import io.github.milvuscdi.harness.OtlpSpan;
import io.github.milvuscdi.it.notes.checks.TraceChecks;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Traces end to end on WildFly's MicroProfile Telemetry: a copy of the notes WAR, deployed as
 * {@code traced.war}, turns OpenTelemetry on in its own {@code microprofile-config.properties}, as
 * WildFly's guide tells a user to, and exports OTLP/HTTP to a collector this test runs on loopback.
 * The Milvus spans must arrive there from WildFly's own OpenTelemetry SDK, in the trace of the REST
 * request that made them, each a child of the request's server span: the checks every server's test
 * makes ({@link TraceChecks}).
 */
@Order(5)
@ExtendWith(WildFlyRun.Extension.class)
class TracesIT {

    private static final String TRACED = "traced.war";
    private static final String SERVICE = "traced-notes";
    private static final String API = "/traced/api";

    static WildFlyRun run;
    static OtlpCollector collector;

    @BeforeAll
    static void deploy(WildFlyRun shared) throws Exception {
        run = shared;
        collector = OtlpCollector.start();
        run.deployNotesAs(TRACED, file -> file.putAll(TraceChecks.exportingTo(collector, SERVICE)));
    }

    @AfterAll
    static void undeploy() {
        if (run != null) {
            run.wildfly.management().undeploy(TRACED);
        }
        if (collector != null) {
            collector.close();
        }
    }

    @Test
    void milvusSpansArriveInTheTraceOfTheRestRequest() {
        TraceChecks.searchIsAClientChildOfTheRequest(
                TracesIT::call, API, "default", run.current, collector, "traced_notes");
        assertThat(collector.spans())
                .filteredOn(span -> span.name().equals("Search traced_notes"))
                .extracting(OtlpSpan::service)
                .as("the service of the search's spans")
                .containsOnly(SERVICE);
    }

    @Test
    void aFailedCallIsAnErrorSpan() {
        TraceChecks.aFailedCallIsAnErrorSpan(TracesIT::call, API, "default", collector, "traced_missing");
    }

    @Test
    void theDurationHistogramIsExported() throws Exception {
        new Notebook(run, "traced", "default").roundTrip("traced_metrics");
        TraceChecks.theDurationHistogramIsExported(collector, "traced_metrics");
    }

    @Test
    void noSecretIsExported() throws Exception {
        new Notebook(run, "traced", "archive").roundTrip("traced_archive");
        collector.awaitSpans(
                received -> received.stream()
                        .anyMatch(span -> span.name().equals("Search traced_archive")
                                && "milvus".equals(span.attribute("db.system.name"))),
                TraceChecks.EXPORTED);
        TraceChecks.noSecretIsExported(collector, run.secrets());
    }

    /** A request to WildFly's HTTP port; {@code path} from the server's root, e.g. {@code /traced/api/...}. */
    private static HttpResponse<String> call(String method, String path, String json) {
        try {
            return Http.exchange(method, run.wildfly.httpBase() + path.substring(1), json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while calling " + path, e);
        }
    }
}
