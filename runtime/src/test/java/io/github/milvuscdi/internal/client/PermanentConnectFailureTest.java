package io.github.milvuscdi.internal.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.milvuscdi.internal.config.ConnectionSettings;
import io.github.milvuscdi.internal.config.ConnectionSettingsReader;
import io.milvus.shaded.io.grpc.Status;
import io.milvus.shaded.io.grpc.StatusRuntimeException;
import java.net.ConnectException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Which transport failures end connecting at once, and what they say: the statuses are the ones gRPC
 * reports (seen against real servers in {@code FailFastConnectTest}), built here to cover the bytes a
 * test server does not send.
 */
class PermanentConnectFailureTest {

    private static final ConnectionSettings PLAIN =
            new ConnectionSettingsReader().read("search", Map.of("uri", "http://milvus.example:19530"));

    @Test
    void anHtmlPageIsHttp1AndPermanentAndTheHexDumpIsNotShown() {
        StatusRuntimeException html = firstFrame("3c21444f43");

        assertThat(ConnectFailureExplainer.permanent(PLAIN, html)).isTrue();
        ConnectFailureExplainer.Explanation why = ConnectFailureExplainer.explain(PLAIN, html);
        assertThat(why.kind()).isEqualTo(ConnectFailure.Kind.NOT_MILVUS);
        assertThat(why.text())
                .startsWith("the port speaks HTTP/1, not gRPC (it answered '<!DOC'): Milvus serves gRPC on port 19530")
                .endsWith("(INTERNAL: http2 exception (First received frame was not SETTINGS))");
    }

    @Test
    void aTlsRecordMeansTheServerExpectsTls() {
        ConnectFailureExplainer.Explanation why = ConnectFailureExplainer.explain(PLAIN, firstFrame("1503030002"));

        assertThat(why.kind()).isEqualTo(ConnectFailure.Kind.TLS);
        assertThat(why.text())
                .startsWith("the server expects TLS and the client does not use it: use an https:// uri or set"
                        + " milvus.connections.search.secure=true (");
    }

    @Test
    void otherBytesAreNotGrpcAndPermanent() {
        StatusRuntimeException binary = firstFrame("0001020304");

        assertThat(ConnectFailureExplainer.permanent(PLAIN, binary)).isTrue();
        assertThat(ConnectFailureExplainer.explain(PLAIN, binary).text())
                .startsWith("the port does not speak gRPC (it answered bytes that are not HTTP/2)");
    }

    @Test
    void refusedAndClosedAreNotPermanent() {
        StatusRuntimeException refused = Status.UNAVAILABLE
                .withDescription("io exception")
                .withCause(new ConnectException("Connection refused"))
                .asRuntimeException();
        StatusRuntimeException closed = Status.UNAVAILABLE
                .withDescription("Network closed for unknown reason")
                .asRuntimeException();

        assertThat(ConnectFailureExplainer.permanent(PLAIN, refused)).isFalse();
        assertThat(ConnectFailureExplainer.permanent(PLAIN, closed)).isFalse();
    }

    private static StatusRuntimeException firstFrame(String hex) {
        return Status.INTERNAL
                .withDescription("http2 exception")
                .withCause(new RuntimeException(
                        "First received frame was not SETTINGS. Hex dump for first 5 bytes: " + hex))
                .asRuntimeException();
    }
}
