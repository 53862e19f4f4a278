package io.github.milvuscdi.it.quarkus;

import java.util.Map;

/** {@link MilvusLiteResource} with {@code connect-timeout=1s} on alias {@code default}, for {@link OutageTest}. */
public class OutageResource extends MilvusLiteResource {

    @Override
    public Map<String, String> start() {
        Map<String, String> config = super.start();
        config.put("milvus.connections.default.connect-timeout", "1s");
        return config;
    }
}
