package io.github.milvuscdi.launcher;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * Starts milvus-lite outside the tests, for running an application against a server of one's own:
 * one server per name given ({@code default} when none), each on the port given after a colon or on
 * a free one. Prints {@code <name> <uri> <log file>} per server, then the line {@value #READY}, and
 * keeps them running until the JVM is told to stop (Ctrl-C or SIGTERM), when it stops them.
 *
 * <pre>{@code
 * ./mvnw -q -pl launcher -am compile dependency:build-classpath -Dmdep.outputFile=target/classpath.txt
 * java -cp launcher/target/classes:$(cat launcher/target/classpath.txt) \
 *     io.github.milvuscdi.launcher.MilvusLiteCommand default:19530 archive
 * }</pre>
 *
 * <p>milvus-lite is installed on the first run as for the tests (Python 3.10+ with venv and pip, PyPI).
 */
public final class MilvusLiteCommand {

    /** Printed once every server answers. */
    public static final String READY = "milvus-lite ready";

    static final String USAGE = "usage: java -cp <launcher jar and its dependencies> "
            + MilvusLiteCommand.class.getName() + " [NAME[:PORT]]...\n"
            + "  starts one milvus-lite per NAME (default: one named 'default'), on PORT or a free loopback port,\n"
            + "  prints '<name> <uri> <log file>' for each, then '" + READY + "', and runs until Ctrl-C";

    private MilvusLiteCommand() {}

    /**
     * Starts the servers and waits until the JVM stops.
     *
     * @param arguments {@code NAME[:PORT]} per server; {@code -h} or {@code --help} prints the usage
     * @throws InterruptedException when interrupted while waiting
     */
    public static void main(String[] arguments) throws InterruptedException {
        List<String[]> wanted;
        try {
            wanted = parse(arguments);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
            return;
        }
        if (wanted.isEmpty()) {
            System.out.println(USAGE);
            return;
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
                        "milvus-lite-command-stop"));
        PrintStream out = System.out;
        for (String[] server : wanted) {
            MilvusLiteServer started = MilvusLiteServer.start(server[0], Integer.parseInt(server[1]));
            synchronized (servers) {
                servers.add(started);
            }
            out.println(server[0] + " " + started.uri() + " " + started.logFile());
        }
        out.println(READY);
        out.flush();
        stopped.await();
    }

    /** The servers asked for, as {name, port}, port "0" for any; empty for help. */
    static List<String[]> parse(String[] arguments) {
        List<String[]> wanted = new ArrayList<>();
        for (String argument : arguments) {
            if (argument.equals("-h") || argument.equals("--help")) {
                return List.of();
            }
            int colon = argument.indexOf(':');
            String name = colon < 0 ? argument : argument.substring(0, colon);
            String port = colon < 0 ? "0" : argument.substring(colon + 1);
            if (!port.matches("[0-9]{1,5}")
                    || Integer.parseInt(port) > 65535
                    || (colon >= 0 && Integer.parseInt(port) == 0)) {
                throw new IllegalArgumentException(
                        "'" + argument + "': the port after ':' is not a port; expected a number from 1 to 65535");
            }
            wanted.add(new String[] {name, port});
        }
        if (arguments.length == 0) {
            wanted.add(new String[] {"default", "0"});
        }
        return wanted;
    }
}
