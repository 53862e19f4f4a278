package io.github.milvuscdi.testing;

import io.github.milvuscdi.launcher.MilvusTestServer;
import java.util.Objects;
import java.util.function.Function;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * What {@link MilvusLiteExtension} and {@link MilvusServerExtension} do, written once: start a server
 * for a class or a test, close it after, resolve it as a parameter. Nested test classes share their
 * enclosing class's server.
 *
 * @param <S> the kind of server
 */
abstract class ServerExtension<S extends MilvusTestServer>
        implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback, ParameterResolver {

    private final String name;
    private final String kind;
    private final Class<S> type;
    private final Function<String, S> starter;
    private final Namespace namespace;
    private volatile S current;

    /**
     * @param name the server's name, in logs and folder names
     * @param kind the server, in messages ("milvus-lite")
     * @param type what parameters of this type receive
     * @param starter starts a server of this name
     */
    ServerExtension(String name, String kind, Class<S> type, Function<String, S> starter) {
        this.name = Objects.requireNonNull(name, "name");
        this.kind = kind;
        this.type = type;
        this.starter = starter;
        this.namespace = Namespace.create(getClass());
    }

    /**
     * The server of the running test or class.
     *
     * @return the server; never {@code null}
     * @throws IllegalStateException before the extension has started one (for instance, in a static
     *     initializer, or before {@code @BeforeEach} with an instance field)
     */
    public S server() {
        S server = current;
        if (server == null) {
            throw new IllegalStateException("The " + kind + " server '" + name + "' is not started yet: server()"
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

    /** Whether the parameter is this extension's kind of server. */
    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.getParameter().getType() == type;
    }

    /** The server of this test or class, started if needed. */
    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        S server = serverFor(extensionContext);
        if (current == null) {
            current = server;
        }
        return server;
    }

    /** The extension and its server's name, such as {@code MilvusLiteExtension[search]}. */
    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + name + "]";
    }

    /** The server stored for this extension in this context or an enclosing one, else a new one here. */
    private S serverFor(ExtensionContext context) {
        @SuppressWarnings("unchecked")
        StoredServer<S> stored = context.getStore(namespace)
                .getOrComputeIfAbsent(this, key -> new StoredServer<>(starter.apply(name)), StoredServer.class);
        return stored.server;
    }

    private void closeOwnedBy(ExtensionContext context) {
        // remove() only looks at this context's own store, never an enclosing one.
        StoredServer<?> owned = context.getStore(namespace).remove(this, StoredServer.class);
        if (owned != null) {
            if (current == owned.server) {
                current = null;
            }
            owned.close();
        }
    }

    /** Lets JUnit close the server even when an after-callback was never reached. */
    private static final class StoredServer<S extends MilvusTestServer>
            implements ExtensionContext.Store.CloseableResource {
        private final S server;

        StoredServer(S server) {
            this.server = server;
        }

        @Override
        public void close() {
            server.close();
        }
    }
}
