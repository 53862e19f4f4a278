package io.github.milvuscdi.it.quarkus;

import io.github.milvuscdi.testing.MilvusLiteServer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * Starts milvus-lite servers through the testing module, as the tests do, for {@code demo.sh}: one
 * per name given, then prints {@code <name> <uri>} for each and the line {@value #READY}, and keeps
 * them running until the JVM is told to stop (SIGTERM or Ctrl-C), when it stops them.
 *
 * <pre>{@code
 * ./mvnw -q -f it-quarkus/pom.xml exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=io.github.milvuscdi.it.quarkus.DemoServers -Dexec.args="default archive"
 * }</pre>
 */
public final class DemoServers {

    /** Printed once every server answers. */
    public static final String READY = "milvus-lite ready";

    private DemoServers() {}

    public static void main(String[] names) throws InterruptedException {
        if (names.length == 0) {
            throw new IllegalArgumentException("Name the servers to start, such as: default archive");
        }
        List<MilvusLiteServer> servers = new ArrayList<>();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            synchronized (servers) {
                                servers.forEach(MilvusLiteServer::close);
                            }
                            stopped.countDown();
                        },
                        "demo-servers-stop"));
        for (String name : names) {
            MilvusLiteServer server = MilvusLiteServer.start(name);
            synchronized (servers) {
                servers.add(server);
            }
            System.out.println(name + " " + server.uri() + " " + server.logFile());
        }
        System.out.println(READY);
        System.out.flush();
        stopped.await();
    }
}
