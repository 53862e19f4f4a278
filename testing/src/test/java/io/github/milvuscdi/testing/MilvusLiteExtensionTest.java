package io.github.milvuscdi.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class MilvusLiteExtensionTest {

    @Test
    void serverBeforeStartSaysWhenItAnswers() {
        MilvusLiteExtension extension = new MilvusLiteExtension("early");

        assertThatThrownBy(extension::server)
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("The milvus-lite server 'early' is not started yet: server() answers from @BeforeAll on"
                        + " when the extension is a static @RegisterExtension field or @ExtendWith, and from"
                        + " @BeforeEach on when it is an instance field");
        assertThat(extension).hasToString("MilvusLiteExtension[early]");
        assertThat(new MilvusLiteExtension()).hasToString("MilvusLiteExtension[milvus]");
    }
}
