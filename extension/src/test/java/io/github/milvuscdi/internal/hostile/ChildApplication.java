package io.github.milvuscdi.internal.hostile;

import io.github.milvuscdi.MilvusConnection;
import io.github.milvuscdi.internal.cdi.MilvusExtension;
import io.github.milvuscdi.internal.container.ContainerLifecycle;
import io.milvus.v2.client.MilvusClientV2;
import org.jboss.weld.environment.se.Weld;
import org.jboss.weld.environment.se.WeldContainer;

/**
 * An application in a JVM of its own, for what a test JVM cannot change once it runs: the JDK's
 * host-name resolution ({@code jdk.net.hosts.file}), its default trust store, the SDK on the class
 * path. Configured through system properties ({@code milvus.connections.*}, read by MicroProfile
 * Config); uses the alias named by {@code child.alias} and prints one {@code RESULT} line.
 */
public final class ChildApplication {

    private ChildApplication() {}

    public static void main(String[] args) {
        String alias = System.getProperty("child.alias", "default");
        try (WeldContainer container = new Weld(
                        "child-" + ProcessHandle.current().pid())
                .disableDiscovery()
                .addExtension(new MilvusExtension())
                .addBeanClass(ContainerLifecycle.class)
                .initialize()) {
            MilvusClientV2 client = container
                    .select(MilvusClientV2.class, MilvusConnection.Literal.of(alias))
                    .get();
            java.util.List<String> collections = client.listCollections().getCollectionNames();
            String moved = System.getProperty("child.moved");
            if (moved != null) {
                collections = afterTheServerMoved(client, java.nio.file.Path.of(moved));
            }
            String database = System.getProperty("child.use-database");
            if (database != null) {
                collections = inAnotherDatabase(container, alias, database);
            }
            System.out.println("RESULT OK collections=" + collections);
        } catch (RuntimeException failed) {
            Throwable root = failed;
            StringBuilder messages = new StringBuilder();
            for (Throwable cause = failed; cause != null; cause = cause.getCause()) {
                messages.append(" | ")
                        .append(cause.getClass().getSimpleName())
                        .append(": ")
                        .append(cause.getMessage());
                root = cause;
            }
            System.out.println("RESULT FAIL " + root.getClass().getSimpleName()
                    + messages.toString().replace('\n', ' '));
        }
        System.exit(0);
    }

    /**
     * Adds an alias at run time with the keys of the configured one, switches it to a database with
     * {@code useDatabase} (which reconnects) and lists that database's collections.
     */
    private static java.util.List<String> inAnotherDatabase(WeldContainer container, String alias, String database) {
        String prefix = "milvus.connections." + alias + ".";
        java.util.Map<String, String> keys = new java.util.HashMap<>();
        for (String name : System.getProperties().stringPropertyNames()) {
            if (name.startsWith(prefix)) {
                keys.put(name.substring(prefix.length()), System.getProperty(name));
            }
        }
        io.github.milvuscdi.MilvusConnections connections =
                container.select(io.github.milvuscdi.MilvusConnections.class).get();
        MilvusClientV2 runtime = connections.connect(alias + "-at-run-time", keys);
        try {
            runtime.useDatabase(database);
            return runtime.listCollections().getCollectionNames();
        } catch (InterruptedException interrupted) {
            throw new IllegalStateException(interrupted);
        } finally {
            connections.removeConnection(alias + "-at-run-time");
        }
    }

    /**
     * Says the client works ({@code <moved>.first}), waits until the test moved the server to a new address
     * (the file {@code moved} exists), then calls until a call succeeds again, within a minute.
     */
    private static java.util.List<String> afterTheServerMoved(MilvusClientV2 client, java.nio.file.Path moved) {
        try {
            java.nio.file.Files.createFile(java.nio.file.Path.of(moved + ".first"));
            io.github.milvuscdi.testing.Await.until(
                    () -> java.nio.file.Files.exists(moved),
                    java.time.Duration.ofSeconds(60),
                    "the test moved the server");
            return io.github.milvuscdi.testing.Await.until(
                    () -> client.listCollections().getCollectionNames(),
                    names -> true,
                    java.time.Duration.ofSeconds(60));
        } catch (java.io.IOException failed) {
            throw new IllegalStateException(failed);
        }
    }
}
