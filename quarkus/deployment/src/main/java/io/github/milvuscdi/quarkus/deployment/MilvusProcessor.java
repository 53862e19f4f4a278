package io.github.milvuscdi.quarkus.deployment;

import io.github.milvuscdi.MilvusConnections;
import io.github.milvuscdi.quarkus.runtime.tls.TlsRegistryCertificates;
import io.quarkus.arc.deployment.AdditionalBeanBuildItem;
import io.quarkus.arc.deployment.UnremovableBeanBuildItem;
import io.quarkus.deployment.IsNormal;
import io.quarkus.deployment.annotations.BuildStep;
import io.quarkus.deployment.builditem.FeatureBuildItem;

/** The feature; the beans come from milvus-cdi-extension's build-compatible extension. */
class MilvusProcessor {

    static final String FEATURE = "milvus-cdi";

    @BuildStep
    FeatureBuildItem feature() {
        return new FeatureBuildItem(FEATURE);
    }

    /**
     * Keeps {@link MilvusConnections} in dev mode and tests even when nothing injects it: the Dev UI
     * card looks it up. Production builds leave ArC free to remove it.
     */
    @BuildStep(onlyIfNot = IsNormal.class)
    UnremovableBeanBuildItem keepRegistryForDevUi() {
        return UnremovableBeanBuildItem.beanTypes(MilvusConnections.class);
    }

    /** {@code tls-configuration-name}: the aliases' certificates from Quarkus's TLS registry, and its reloads. */
    @BuildStep
    AdditionalBeanBuildItem tlsRegistryCertificates() {
        return AdditionalBeanBuildItem.unremovableOf(TlsRegistryCertificates.class);
    }
}
