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
            System.out.println(
                    "RESULT OK collections=" + client.listCollections().getCollectionNames());
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
}
