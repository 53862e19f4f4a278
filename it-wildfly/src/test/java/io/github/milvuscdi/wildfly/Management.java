package io.github.milvuscdi.wildfly;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Authenticator;
import java.net.HttpURLConnection;
import java.net.PasswordAuthentication;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * WildFly's HTTP management API: JSON operations posted to {@code /management}, with the digest
 * authentication of the {@code ManagementRealm} user the test wrote.
 *
 * <p>{@link HttpURLConnection} answers the digest challenge itself (the JDK's {@code HttpClient}
 * knows only basic authentication).
 *
 * <pre>{@code
 * JsonObject outcome = management.execute(Management.operation("read-attribute").name("server-state"));
 * }</pre>
 */
final class Management {

    private static final Gson GSON = new Gson();
    private static final int TIMEOUT_MILLIS = 120_000;

    private final URI endpoint;
    private final Authenticator authenticator;

    Management(int port, String user, String password) {
        this.endpoint = URI.create("http://127.0.0.1:" + port + "/management");
        this.authenticator = new Authenticator() {
            @Override
            protected PasswordAuthentication getPasswordAuthentication() {
                return new PasswordAuthentication(user, password.toCharArray());
            }
        };
    }

    /** @return the base URI of the management interface, e.g. {@code http://127.0.0.1:19990} */
    URI base() {
        return endpoint.resolve("/");
    }

    /**
     * Runs an operation and returns WildFly's whole answer ({@code outcome}, {@code result},
     * {@code failure-description}), whatever the outcome.
     *
     * @throws IOException when the management interface cannot be reached
     */
    JsonObject execute(JsonObject operation) throws IOException {
        HttpURLConnection connection = (HttpURLConnection) endpoint.toURL().openConnection();
        connection.setAuthenticator(authenticator);
        connection.setConnectTimeout(5_000);
        connection.setReadTimeout(TIMEOUT_MILLIS);
        connection.setRequestMethod("POST");
        connection.setDoOutput(true);
        connection.setRequestProperty("Content-Type", "application/json");
        byte[] body = GSON.toJson(operation).getBytes(StandardCharsets.UTF_8);
        try (OutputStream out = connection.getOutputStream()) {
            out.write(body);
        }
        int status = connection.getResponseCode();
        try (InputStream in = status < 400 ? connection.getInputStream() : connection.getErrorStream()) {
            if (in == null) {
                throw new IOException("HTTP " + status + " from " + endpoint + " with no body");
            }
            String answer = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            JsonElement parsed;
            try {
                parsed = JsonParser.parseString(answer);
            } catch (RuntimeException notJson) {
                throw new IOException("HTTP " + status + " from " + endpoint + ": " + answer, notJson);
            }
            if (!parsed.isJsonObject()) {
                throw new IOException("HTTP " + status + " from " + endpoint + ": " + answer);
            }
            return parsed.getAsJsonObject();
        } finally {
            connection.disconnect();
        }
    }

    /**
     * Runs an operation that must succeed.
     *
     * @return its {@code result}
     * @throws IllegalStateException with WildFly's failure description when it fails
     */
    JsonElement run(JsonObject operation) {
        JsonObject answer;
        try {
            answer = execute(operation);
        } catch (IOException failed) {
            throw new UncheckedIOException(failed);
        }
        if (!"success".equals(answer.get("outcome").getAsString())) {
            throw new IllegalStateException("WildFly refused " + operation + ": " + answer.get("failure-description"));
        }
        return answer.get("result");
    }

    /** @return the state of the server ({@code running} once booted), or why it cannot be read */
    String serverState() throws IOException {
        JsonObject answer = execute(
                operation("read-attribute").param("name", "server-state").json());
        return answer.has("result") ? answer.get("result").getAsString() : answer.toString();
    }

    /**
     * Deploys a WAR from a file: WildFly reads it through the URL and keeps its own copy
     * (managed content), as {@code deploy <war>} in the CLI does.
     *
     * @return WildFly's whole answer; {@code outcome} is {@code failed} when the deployment failed
     */
    JsonObject deploy(String name, Path war) throws IOException {
        JsonObject operation =
                operation("add").at("deployment", name).param("enabled", true).json();
        JsonObject content = new JsonObject();
        content.addProperty("url", war.toUri().toString());
        JsonArray contents = new JsonArray();
        contents.add(content);
        operation.add("content", contents);
        return execute(operation);
    }

    /** Undeploys and removes a deployment; a no-op when there is none of that name. */
    void undeploy(String name) {
        if (deployments().contains(name)) {
            run(operation("remove").at("deployment", name).json());
        }
    }

    /** @return the names of the deployments the server holds */
    List<String> deployments() {
        JsonElement names = run(operation("read-children-names")
                .param("child-type", "deployment")
                .json());
        List<String> list = new ArrayList<>();
        names.getAsJsonArray().forEach(name -> list.add(name.getAsString()));
        return list;
    }

    /** @return the names of the JVM's live threads, read through the server's platform MBeans */
    List<String> threadNames() {
        JsonElement threads = run(operation("dump-all-threads")
                .at("core-service", "platform-mbean")
                .at("type", "threading")
                .param("locked-monitors", false)
                .param("locked-synchronizers", false)
                .json());
        List<String> names = new ArrayList<>();
        for (JsonElement thread : threads.getAsJsonArray()) {
            names.add(thread.getAsJsonObject().get("thread-name").getAsString());
        }
        return names;
    }

    /** Runs a full garbage collection in the server, then returns how many classes are loaded. */
    long loadedClassesAfterGc() {
        run(operation("gc")
                .at("core-service", "platform-mbean")
                .at("type", "memory")
                .json());
        return classLoading("loaded-class-count");
    }

    /** @return how many classes the server's JVM has loaded since it started, unloaded ones included */
    long classesLoadedEver() {
        return classLoading("total-loaded-class-count");
    }

    private long classLoading(String attribute) {
        return run(operation("read-attribute")
                        .at("core-service", "platform-mbean")
                        .at("type", "class-loading")
                        .param("name", attribute)
                        .json())
                .getAsLong();
    }

    /** Asks the server to stop; returns without waiting for it. */
    void shutdown() throws IOException {
        execute(operation("shutdown").json());
    }

    static Operation operation(String name) {
        return new Operation(name);
    }

    /** A management operation under construction: its name, its address and its parameters. */
    static final class Operation {
        private final JsonObject json = new JsonObject();
        private final JsonArray address = new JsonArray();

        Operation(String name) {
            json.addProperty("operation", name);
            json.add("address", address);
        }

        Operation at(String type, String name) {
            JsonObject step = new JsonObject();
            step.addProperty(type, name);
            address.add(step);
            return this;
        }

        Operation param(String name, Object value) {
            json.add(name, GSON.toJsonTree(value));
            return this;
        }

        JsonObject json() {
            return json;
        }

        @Override
        public String toString() {
            return json.toString();
        }
    }

    @Override
    public String toString() {
        return "Management[" + endpoint + "]";
    }
}
