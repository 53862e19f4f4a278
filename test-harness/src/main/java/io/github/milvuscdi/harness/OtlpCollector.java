package io.github.milvuscdi.harness;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.github.milvuscdi.testing.Await;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Predicate;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * A small OpenTelemetry collector on a free loopback port that receives OTLP/HTTP in protobuf
 * ({@code otel.exporter.otlp.protocol=http/protobuf}) and keeps what arrives, so that a test sees the
 * spans of an application server as a trace backend would: exported over the network, by the server's
 * own OpenTelemetry SDK.
 *
 * <pre>{@code
 * try (OtlpCollector collector = OtlpCollector.start()) {
 *     // configure: otel.exporter.otlp.endpoint=collector.endpoint(), otel.exporter.otlp.protocol=http/protobuf
 *     List<OtlpSpan> spans = collector.awaitSpans(s -> s.stream().anyMatch(x -> x.name().equals("Search notes")),
 *             Duration.ofSeconds(30));
 * }
 * }</pre>
 *
 * <p>{@code /v1/traces} is decoded into {@link OtlpSpan}s; {@code /v1/metrics} and {@code /v1/logs} are
 * accepted and kept undecoded. Every body is also kept, uncompressed, for {@link #received(String)}
 * and {@link #received(String, String...)}.
 * A body that is not an export answers 400 and is named by {@link #spans()} from then on. Thread-safe.
 */
public final class OtlpCollector implements AutoCloseable {

    private static final int MAX_BODY = 64 * 1024 * 1024;

    private final HttpServer server;
    private final ExecutorService handlers;
    private final List<OtlpSpan> spans = new CopyOnWriteArrayList<>();
    private final List<Body> bodies = new CopyOnWriteArrayList<>();
    private final List<String> refused = new CopyOnWriteArrayList<>();

    private OtlpCollector(HttpServer server, ExecutorService handlers) {
        this.server = server;
        this.handlers = handlers;
    }

    /**
     * Starts a collector on a free port of {@code 127.0.0.1}.
     *
     * @return the running collector; close it when done
     * @throws UncheckedIOException when no loopback port can be bound
     */
    public static OtlpCollector start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
            ExecutorService handlers = Executors.newFixedThreadPool(2, task -> {
                Thread thread = new Thread(task, "otlp-collector");
                thread.setDaemon(true);
                return thread;
            });
            OtlpCollector collector = new OtlpCollector(server, handlers);
            server.createContext("/", collector::receive);
            server.setExecutor(handlers);
            server.start();
            return collector;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start an OTLP collector on a loopback port: " + e.getMessage(), e);
        }
    }

    /** @return {@code http://127.0.0.1:port}, the value of {@code otel.exporter.otlp.endpoint} */
    public String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /**
     * @return every span received so far, in arrival order
     * @throws AssertionError when a body could not be read as an OTLP export
     */
    public List<OtlpSpan> spans() {
        if (!refused.isEmpty()) {
            throw new AssertionError("The collector received what is not an OTLP/HTTP protobuf export: " + refused);
        }
        return List.copyOf(spans);
    }

    /**
     * Waits until the spans received so far are the ones awaited.
     *
     * @param expected whether the spans so far are enough
     * @param bound how long to wait; exporters batch, so allow for their schedule delay
     * @return the spans received when {@code expected} first held
     * @throws AssertionError when it did not hold within the bound, naming the spans received
     */
    public List<OtlpSpan> awaitSpans(Predicate<List<OtlpSpan>> expected, Duration bound) {
        return Await.until(
                this::spans,
                expected,
                bound,
                received -> received.size() + " spans: "
                        + received.stream().map(OtlpSpan::name).toList());
    }

    /**
     * @param text what must not (or must) have been sent, such as a password
     * @return whether any body received so far, on any path, holds {@code text} in UTF-8
     */
    public boolean received(String text) {
        return bodies.stream().anyMatch(body -> body.holds(text));
    }

    /**
     * For what is not decoded, such as metrics: whether one export holds a metric's name and an
     * attribute's value together.
     *
     * @param path {@code /v1/traces}, {@code /v1/metrics} or {@code /v1/logs}
     * @param texts what one body must hold, each in UTF-8
     * @return whether one body received so far on {@code path} holds every one of {@code texts}
     */
    public boolean received(String path, String... texts) {
        return bodies.stream()
                .anyMatch(body -> body.path.equals(path) && Stream.of(texts).allMatch(body::holds));
    }

    private void receive(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            if (!"POST".equals(exchange.getRequestMethod()) || !path.startsWith("/v1/")) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            byte[] body = body(exchange);
            bodies.add(new Body(path, new String(body, StandardCharsets.ISO_8859_1)));
            if (path.equals("/v1/traces")) {
                try {
                    spans.addAll(OtlpTraces.decode(body));
                } catch (IllegalArgumentException notAnExport) {
                    refused.add(path + ": " + notAnExport.getMessage());
                    exchange.sendResponseHeaders(400, -1);
                    return;
                }
            }
            exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
            exchange.sendResponseHeaders(200, -1); // an empty Export*ServiceResponse: all accepted
        }
    }

    private static byte[] body(HttpExchange exchange) throws IOException {
        boolean gzipped = "gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"));
        try (InputStream in = gzipped ? new GZIPInputStream(exchange.getRequestBody()) : exchange.getRequestBody()) {
            byte[] body = in.readNBytes(MAX_BODY + 1);
            if (body.length > MAX_BODY) {
                throw new IOException("An export of more than " + MAX_BODY + " bytes");
            }
            return body;
        }
    }

    /** A body as received, uncompressed, one character per byte. */
    private record Body(String path, String bytes) {
        boolean holds(String text) {
            return bytes.contains(new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1));
        }
    }

    @Override
    public void close() {
        server.stop(0);
        handlers.shutdownNow();
    }
}
