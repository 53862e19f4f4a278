package io.github.milvuscdi.internal.cdi;

import jakarta.enterprise.inject.build.compatible.spi.BeanInfo;
import jakarta.enterprise.inject.build.compatible.spi.BuildCompatibleExtension;
import jakarta.enterprise.inject.build.compatible.spi.Messages;
import jakarta.enterprise.inject.build.compatible.spi.Registration;
import jakarta.enterprise.inject.build.compatible.spi.Synthesis;
import jakarta.enterprise.inject.build.compatible.spi.SyntheticComponents;
import jakarta.enterprise.inject.build.compatible.spi.Validation;

/**
 * Runs {@link MilvusBuildCompatibleExtension} on Weld. Weld never runs a build-compatible extension
 * annotated {@code @SkipIfPortableExtensionPresent}, so this unannotated one calls the real
 * extension's phases, which is the code ArC runs in Quarkus.
 */
public class LitePathExtension implements BuildCompatibleExtension {

    private final MilvusBuildCompatibleExtension delegate = new MilvusBuildCompatibleExtension();

    @Registration(types = Object.class)
    public void collect(BeanInfo bean) {
        delegate.collect(bean);
    }

    @Synthesis
    public void synthesize(SyntheticComponents components) {
        delegate.synthesize(components);
    }

    @Validation
    public void validate(Messages messages) {
        delegate.validate(messages);
    }
}
