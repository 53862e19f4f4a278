package io.github.milvuscdi.testing;

import io.github.milvuscdi.launcher.MilvusLiteOptions;
import io.github.milvuscdi.launcher.MilvusLiteServer;
import java.util.Objects;

/**
 * Gives JUnit 5 tests a real, running Milvus: a {@link MilvusLiteServer}, started before the
 * tests that need it and closed after them.
 *
 * <p>One server for the whole class, through a static field; {@link #server()} answers from
 * {@code @BeforeAll} on:
 * <pre>{@code
 * class SearchTest {
 *     @RegisterExtension
 *     static final MilvusLiteExtension SEARCH = new MilvusLiteExtension("search");
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
 * {@code @RegisterExtension final MilvusLiteExtension milvus = new MilvusLiteExtension("scratch");}
 *
 * <p>Or declared on the class, with the server as a parameter of the constructor, of lifecycle
 * methods or of tests (one server for the class, named {@value #DEFAULT_NAME}):
 * <pre>{@code
 * @ExtendWith(MilvusLiteExtension.class)
 * class HealthTest {
 *     @Test
 *     void up(MilvusLiteServer milvus) { ... milvus.uri() ... }
 * }
 * }</pre>
 *
 * <p>Each extension instance owns its own server, so several can run side by side (one field per
 * server). Every registered instance resolves {@code MilvusLiteServer} parameters: with more than
 * one in a class, JUnit reports the parameter as ambiguous; use the fields' {@link #server()} there.
 * Nested test classes share their enclosing class's server.
 *
 * <p>Requirements and the cache of the Python environment are described with
 * {@link MilvusLiteServer#start(String)}. A missing prerequisite fails the tests, never skips them.
 */
public final class MilvusLiteExtension extends ServerExtension<MilvusLiteServer> {

    /** The server name used by {@link #MilvusLiteExtension()}. */
    public static final String DEFAULT_NAME = "milvus";

    /** An extension whose server is named {@value #DEFAULT_NAME}; what {@code @ExtendWith} uses. */
    public MilvusLiteExtension() {
        this(DEFAULT_NAME);
    }

    /**
     * An extension whose server carries {@code name} in logs and folder names.
     *
     * @param name letters, digits, {@code .}, {@code _} or {@code -}, such as {@code search}; checked
     *     when the server starts
     */
    public MilvusLiteExtension(String name) {
        this(name, MilvusLiteOptions.plaintext());
    }

    /**
     * An extension whose server is served as {@code options} say: over TLS or mutual TLS, with
     * credentials enforced.
     *
     * <pre>{@code
     * static final TestCertificates CERTS = TestCertificates.generate();
     *
     * @RegisterExtension
     * static final MilvusLiteExtension SECURED = new MilvusLiteExtension("secured",
     *         MilvusLiteOptions.plaintext().tls(CERTS).credentials("root", "Milvus"));
     * }</pre>
     *
     * @param name letters, digits, {@code .}, {@code _} or {@code -}, such as {@code search}; checked
     *     when the server starts
     * @param options how the server is served; not {@code null}
     */
    public MilvusLiteExtension(String name, MilvusLiteOptions options) {
        super(
                name,
                "milvus-lite",
                MilvusLiteServer.class,
                serverName -> MilvusLiteServer.start(serverName, Objects.requireNonNull(options, "options")));
    }
}
