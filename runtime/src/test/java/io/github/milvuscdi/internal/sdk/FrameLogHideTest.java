package io.github.milvuscdi.internal.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FrameLogHideTest {

    @Test
    void theAuthorizationHeadersValueIsHiddenAndTheRestOfTheLineKept() {
        assertThat(FrameLog.hide("OUTBOUND HEADERS: streamId=3 headers=GrpcHttp2OutboundHeaders[:authority: "
                        + "127.0.0.1:19530, authorization: cm9vdDpNaWx2dXM=, dbname: default]"))
                .isEqualTo("OUTBOUND HEADERS: streamId=3 headers=GrpcHttp2OutboundHeaders[:authority: 127.0.0.1:19530, "
                        + "authorization: <hidden>, dbname: default]");
    }
}
