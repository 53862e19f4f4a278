package io.github.milvuscdi.testing;

import java.util.Objects;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

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
public final class MilvusServerExtension
        implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback, ParameterResolver {

    /** The server name used by {@link #MilvusServerExtension()}. */
    public static final String DEFAULT_NAME = "milvus";

    private static final Namespace NAMESPACE = Namespace.create(MilvusServerExtension.class);

    private final String name;
    private final MilvusServerOptions options;
    private volatile MilvusServer current;

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
        this.name = Objects.requireNonNull(name, "name");
        this.options = Objects.requireNonNull(options, "options");
    }

    /**
     * The server of the running test or class.
     *
     * @return the server; never {@code null}
     * @throws IllegalStateException before the extension has started one (for instance, in a static
     *     initializer, or before {@code @BeforeEach} with an instance field)
     */
    public MilvusServer server() {
        MilvusServer server = current;
        if (server == null) {
            throw new IllegalStateException("The Milvus server '" + name + "' is not started yet: server()"
                    + " answers from @BeforeAll on when the extension is a static @RegisterExtension field or"
                    + " @ExtendWith, and from @BeforeEach on when it is an instance field");
        }
        return server;
    }

    /** Starts the class's server. Not for direct use: JUnit calls it. */
    @Override
    public void beforeAll(ExtensionContext context) {
        current = serverFor(context);
    }

    /** Starts a server for this test unless the class already has one. Not for direct use. */
    @Override
    public void beforeEach(ExtensionContext context) {
        current = serverFor(context);
    }

    /** Closes the server started for this test, if any. Not for direct use. */
    @Override
    public void afterEach(ExtensionContext context) {
        closeOwnedBy(context);
    }

    /** Closes the class's server. Not for direct use. */
    @Override
    public void afterAll(ExtensionContext context) {
        closeOwnedBy(context);
    }

    /** Whether the parameter is a {@link MilvusServer}. */
    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.getParameter().getType() == MilvusServer.class;
    }

    /** The server of this test or class, started if needed. */
    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        MilvusServer server = serverFor(extensionContext);
        if (current == null) {
            current = server;
        }
        return server;
    }

    /** The server name, such as {@code MilvusServerExtension[search]}. */
    @Override
    public String toString() {
        return "MilvusServerExtension[" + name + "]";
    }

    /** The server stored for this extension in this context or an enclosing one, else a new one here. */
    private MilvusServer serverFor(ExtensionContext context) {
        return context.getStore(NAMESPACE)
                .getOrComputeIfAbsent(this, key -> new StoredServer(MilvusServer.start(name, options)), StoredServer.class)
                .server;
    }

    private void closeOwnedBy(ExtensionContext context) {
        // remove() only looks at this context's own store, never an enclosing one.
        StoredServer owned = context.getStore(NAMESPACE).remove(this, StoredServer.class);
        if (owned != null) {
            if (current == owned.server) {
                current = null;
            }
            owned.close();
        }
    }

    /** Lets JUnit close the server even when an after-callback was never reached. */
    private static final class StoredServer implements ExtensionContext.Store.CloseableResource {
        private final MilvusServer server;

        StoredServer(MilvusServer server) {
            this.server = server;
        }

        @Override
        public void close() {
            server.close();
        }
    }
}
