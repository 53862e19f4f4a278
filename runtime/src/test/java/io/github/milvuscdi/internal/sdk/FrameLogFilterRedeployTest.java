package io.github.milvuscdi.internal.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/**
 * On a server, each deployment loads its own copy of the library, and gRPC's frame logger belongs to
 * the whole server: a new deployment's filter replaces the earlier one instead of chaining to it (a
 * chain kept every old deployment's class loader reachable on WildFly), and stopping puts back what
 * was there.
 */
class FrameLogFilterRedeployTest {

    @Test
    void anEarlierDeploymentsFilterIsReplacedNotChainedAndStoppingRemovesOurs() throws Exception {
        Logger frames = Logger.getLogger(FrameLogFilter.FRAME_LOGGER);
        URL classes = FrameLogFilter.class.getProtectionDomain().getCodeSource().getLocation();
        try (URLClassLoader earlierDeployment = new URLClassLoader("earlier-deployment", new URL[] {classes}, null)) {
            FrameLogFilter.uninstall();
            frames.setFilter(null);
            Class<?> earlierCopy = earlierDeployment.loadClass(FrameLogFilter.class.getName());
            Method install = earlierCopy.getDeclaredMethod("install");
            install.setAccessible(true);
            install.invoke(null);
            assertThat(frames.getFilter().getClass().getClassLoader()).isSameAs(earlierDeployment);

            FrameLogFilter.install();

            assertThat(frames.getFilter()).isInstanceOf(FrameLogFilter.class);
            FrameLogFilter.uninstall();
            assertThat(frames.getFilter())
                    .as("nothing of the earlier deployment is kept")
                    .isNull();
        } finally {
            FrameLogFilter.install(); // as the rest of this JVM's tests expect
        }
    }

    @Test
    void connectingPutsTheFilterBackAfterAnotherContainerInThisJvmStopped() {
        Logger frames = Logger.getLogger(FrameLogFilter.FRAME_LOGGER);
        MilvusSdk.releaseFrameLog();
        assertThat(frames.getFilter() instanceof FrameLogFilter)
                .as("our filter, after a container stopped")
                .isFalse();
        io.milvus.v2.client.MilvusClientV2 client = MilvusSdk.unconnectedClient();
        try {
            MilvusSdk.connect(
                    client,
                    io.milvus.v2.client.ConnectConfig.builder()
                            .uri("http://127.0.0.1:1")
                            .connectTimeoutMs(200)
                            .build());
        } catch (Throwable refused) {
            // nothing listens there: only the filter matters here
        } finally {
            try {
                client.close(1);
            } catch (InterruptedException | RuntimeException ignored) {
                Thread.currentThread().interrupt();
                Thread.interrupted();
            }
        }
        assertThat(frames.getFilter()).isInstanceOf(FrameLogFilter.class);
    }

    @Test
    void theAuthorizationHeadersValueIsHiddenAndTheRestOfTheLineKept() {
        assertThat(FrameLogFilter.hide("OUTBOUND HEADERS: streamId=3 headers=GrpcHttp2OutboundHeaders[:authority: "
                        + "127.0.0.1:19530, authorization: cm9vdDpNaWx2dXM=, dbname: default]"))
                .isEqualTo("OUTBOUND HEADERS: streamId=3 headers=GrpcHttp2OutboundHeaders[:authority: 127.0.0.1:19530, "
                        + "authorization: <hidden>, dbname: default]");
    }
}
