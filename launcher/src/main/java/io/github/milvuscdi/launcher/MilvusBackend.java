package io.github.milvuscdi.launcher;

import java.util.Objects;

/**
 * The two kinds of real Milvus the kit runs, so that one test can run on both:
 *
 * <pre>{@code
 * @ParameterizedTest
 * @EnumSource(MilvusBackend.class)
 * void searches(MilvusBackend backend) {
 *     try (MilvusTestServer milvus = backend.start("search")) {
 *         ... milvus.uri() ...
 *     }
 * }
 * }</pre>
 *
 * <p>See {@code README.md} of milvus-cdi-testing (the test kit) for what differs between them and when to pick which.
 */
public enum MilvusBackend {

    /** milvus-lite: Milvus's gRPC service reimplemented in Python; starts in a second. */
    MILVUS_LITE {
        @Override
        public MilvusTestServer start(String name, MilvusServerOptions options) {
            return MilvusLiteServer.start(
                    name, Objects.requireNonNull(options, "options").toMilvusLiteOptions());
        }
    },

    /** Milvus's own standalone server (the Go binary with embedded etcd), PyPI package {@code milvus}. */
    MILVUS_SERVER {
        @Override
        public MilvusTestServer start(String name, MilvusServerOptions options) {
            return MilvusServer.start(name, options);
        }
    };

    /**
     * Starts a plaintext server of this backend and waits until it answers an RPC.
     *
     * @param name a label for logs and folders, such as {@code search}
     * @return the running server; close it when done
     * @throws IllegalStateException when a prerequisite is missing or the server does not answer;
     *     the message says what to do
     */
    public MilvusTestServer start(String name) {
        return start(name, MilvusServerOptions.plaintext());
    }

    /**
     * Starts a server of this backend served as {@code options} say and waits until it answers an
     * RPC made with the matching trust, client certificate and credentials. On milvus-lite,
     * authentication accepts {@code root:Milvus} only.
     *
     * @param name a label for logs and folders, such as {@code search}
     * @param options TLS, mutual TLS, authentication; not {@code null}
     * @return the running server; close it when done
     * @throws IllegalStateException as {@link #start(String)}
     */
    public abstract MilvusTestServer start(String name, MilvusServerOptions options);
}
