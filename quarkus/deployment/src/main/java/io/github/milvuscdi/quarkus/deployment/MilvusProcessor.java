package io.github.milvuscdi.quarkus.deployment;

import io.quarkus.deployment.annotations.BuildStep;
import io.quarkus.deployment.builditem.FeatureBuildItem;

/** The feature; the beans come from milvus-cdi-extension's build-compatible extension. */
class MilvusProcessor {

    static final String FEATURE = "milvus-cdi";

    @BuildStep
    FeatureBuildItem feature() {
        return new FeatureBuildItem(FEATURE);
    }
}
