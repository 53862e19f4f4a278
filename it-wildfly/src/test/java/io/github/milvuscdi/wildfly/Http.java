package io.github.milvuscdi.wildfly;

import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Plain HTTP calls to the application and to {@code /health}, JSON in and out. */
final class Http {

    private static final HttpClient CLIENT =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private Http() {}

    /** A status and a body. */
    record Answer(int status, String body) {
        /** @return the body as JSON */
        JsonElement json() {
            try {
                return JsonParser.parseString(body);
            } catch (RuntimeException notJson) {
                throw new AssertionError("HTTP " + status + " with a body that is not JSON: " + body, notJson);
            }
        }

        @Override
        public String toString() {
            return "HTTP " + status + ": " + body;
        }
    }

    static Answer get(String uri) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(uri)).GET());
    }

    static Answer put(String uri, String json) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(uri)).PUT(HttpRequest.BodyPublishers.ofString(json)));
    }

    static Answer post(String uri, String json) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(uri)).POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    /** {@code method} {@code uri} with a JSON body, the answer as the JDK's client gives it. */
    static HttpResponse<String> exchange(String method, String uri, String json)
            throws IOException, InterruptedException {
        return CLIENT.send(
                json(HttpRequest.newBuilder(URI.create(uri)).method(method, HttpRequest.BodyPublishers.ofString(json))),
                HttpResponse.BodyHandlers.ofString());
    }

    private static Answer send(HttpRequest.Builder request) throws IOException, InterruptedException {
        HttpResponse<String> response = CLIENT.send(json(request), HttpResponse.BodyHandlers.ofString());
        return new Answer(response.statusCode(), response.body());
    }

    private static HttpRequest json(HttpRequest.Builder request) {
        return request.timeout(TIMEOUT)
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .build();
    }
}
