package io.github.milvuscdi.quarkus.deployment;

import io.github.milvuscdi.quarkus.runtime.devui.MilvusDevUIService;
import io.quarkus.deployment.IsDevelopment;
import io.quarkus.deployment.annotations.BuildStep;
import io.quarkus.deployment.builditem.CombinedIndexBuildItem;
import io.quarkus.devui.spi.JsonRPCProvidersBuildItem;
import io.quarkus.devui.spi.page.CardPageBuildItem;
import io.quarkus.devui.spi.page.Page;
import java.util.SortedSet;
import org.eclipse.microprofile.config.ConfigProvider;

/** The Dev UI card (dev mode): the aliases, their addresses, Dev Services and readiness entries. */
class MilvusDevUIProcessor {

    @BuildStep(onlyIf = IsDevelopment.class)
    CardPageBuildItem card(CombinedIndexBuildItem index) {
        SortedSet<String> aliases = DevServiceAliases.injected(index.getIndex());
        aliases.addAll(DevServiceAliases.configured(ConfigProvider.getConfig()));
        CardPageBuildItem card = new CardPageBuildItem();
        card.addPage(Page.webComponentPageBuilder()
                .title("Aliases")
                .icon("font-awesome-solid:database")
                .componentLink("qwc-milvus-aliases.js")
                .staticLabel(String.valueOf(aliases.size())));
        return card;
    }

    @BuildStep(onlyIf = IsDevelopment.class)
    JsonRPCProvidersBuildItem jsonRpc() {
        return new JsonRPCProvidersBuildItem(MilvusDevUIService.class);
    }
}
