package io.github.milvuscdi.testing;

import io.github.milvuscdi.launcher.MilvusServer;
import io.github.milvuscdi.launcher.MilvusServerOptions;
import java.util.Objects;

/**
 * Gives JUnit 5 tests Milvus's own standalone server: a {@link MilvusServer}, started before the
 * tests that need it and closed after them. Used as {@link MilvusLiteExtension} is; the two can be
 * registered side by side.
 *
 * <p>One server for the whole class, through a static field; {@link #server()} answers from
 * {@code @BeforeAll} on:
 * <pre>{@code
 * class SearchTest {
 *     @RegisterExtension
 *     static final MilvusServerExtension SEARCH = new MilvusServerExtension("search");
 *
 *     @Test
 *     void finds() {
 *         var client = new MilvusClientV2(ConnectConfig.builder().uri(SEARCH.server().uri()).build());
 *         ...
 *     }
 * }
 * }</pre>
 *
 * <p>A fresh server for every test, through an instance field:
 * {@code @RegisterExtension final MilvusServerExtension milvus = new MilvusServerExtension("scratch");}
 *
 * <p>Or declared on the class, with the server as a parameter of the constructor, of lifecycle
 * methods or of tests (one server for the class, named {@value #DEFAULT_NAME}):
 * <pre>{@code
 * @ExtendWith(MilvusServerExtension.class)
 * class HealthTest {
 *     @Test
 *     void up(MilvusServer milvus) { ... milvus.uri() ... }
 * }
 * }</pre>
 *
 * <p>Each extension instance owns its own server, so several can run side by side (one field per
 * server). Every registered instance resolves {@code MilvusServer} parameters: with more than
 * one in a class, JUnit reports the parameter as ambiguous; use the fields' {@link #server()} there.
 * Nested test classes share their enclosing class's server.
 *
 * <p>Requirements, ports and files are described with
 * {@link MilvusServer#start(String)}. A missing prerequisite fails the tests, never skips them.
 */
public final class MilvusServerExtension extends ServerExtension<MilvusServer> {

    /** The server name used by {@link #MilvusServerExtension()}. */
    public static final String DEFAULT_NAME = "milvus";

    /** An extension whose server is named {@value #DEFAULT_NAME}; what {@code @ExtendWith} uses. */
    public MilvusServerExtension() {
        this(DEFAULT_NAME);
    }

    /**
     * An extension whose server carries {@code name} in logs and folder names.
     *
     * @param name letters, digits, {@code .}, {@code _} or {@code -}, such as {@code search}; checked
     *     when the server starts
     */
    public MilvusServerExtension(String name) {
        this(name, MilvusServerOptions.plaintext());
    }

    /**
     * An extension whose server is served as {@code options} say: over TLS or mutual TLS, with
     * authentication.
     *
     * <pre>{@code
     * static final TestCertificates CERTS = TestCertificates.generate();
     *
     * @RegisterExtension
     * static final MilvusServerExtension SECURED = new MilvusServerExtension("secured",
     *         MilvusServerOptions.plaintext().tls(CERTS).authentication());
     * }</pre>
     *
     * @param name letters, digits, {@code .}, {@code _} or {@code -}, such as {@code search}; checked
     *     when the server starts
     * @param options how the server is served; not {@code null}
     */
    public MilvusServerExtension(String name, MilvusServerOptions options) {
        super(
                name,
                "Milvus",
                MilvusServer.class,
                serverName -> MilvusServer.start(serverName, Objects.requireNonNull(options, "options")));
    }
}
