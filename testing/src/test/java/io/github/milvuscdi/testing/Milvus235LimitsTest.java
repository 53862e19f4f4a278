package io.github.milvuscdi.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.github.milvuscdi.launcher.Clients;
import io.github.milvuscdi.launcher.MilvusServer;
import io.milvus.v2.client.MilvusClientV2;
import io.milvus.v2.common.DataType;
import io.milvus.v2.service.collection.request.AddFieldReq;
import io.milvus.v2.service.collection.request.CreateCollectionReq;
import io.milvus.v2.service.database.request.DescribeDatabaseReq;
import io.milvus.v2.service.vector.request.AnnSearchReq;
import io.milvus.v2.service.vector.request.HybridSearchReq;
import io.milvus.v2.service.vector.request.data.FloatVec;
import io.milvus.v2.service.vector.request.ranker.RRFRanker;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What the Java SDK 2.6 can call and Milvus 2.3.5 (the latest {@code milvus} on PyPI) lacks, as the
 * README lists it. Fails on purpose when the pinned server learns one of them: then update the
 * README. What Milvus CDI itself calls works on it (the extension module's backend tests). The
 * server comes as a parameter: one for the class, from {@code @ExtendWith}.
 */
@ExtendWith(MilvusServerExtension.class)
class Milvus235LimitsTest {

    @Test
    void describeDatabaseIsUnimplemented(MilvusServer milvus) throws Exception {
        MilvusClientV2 client = Clients.connect(milvus.uri());
        try {
            Throwable failure = catchThrowable(() -> client.describeDatabase(
                    DescribeDatabaseReq.builder().databaseName("default").build()));

            assertThat(failure).isInstanceOf(RuntimeException.class).hasMessageContaining("UNIMPLEMENTED");
        } finally {
            Clients.close(client);
        }
    }

    @Test
    void hybridSearchIsUnimplemented(MilvusServer milvus) throws Exception {
        MilvusClientV2 client = Clients.connect(milvus.uri());
        try {
            Clients.createPoints(client, "hybrid");
            Throwable failure = catchThrowable(() -> client.hybridSearch(HybridSearchReq.builder()
                    .collectionName("hybrid")
                    .searchRequests(List.of(AnnSearchReq.builder()
                            .vectorFieldName("vector")
                            .vectors(List.of(new FloatVec(new float[] {1, 0, 0, 0})))
                            .topK(2)
                            .build()))
                    .ranker(RRFRanker.builder().k(60).build())
                    .topK(2)
                    .build()));

            assertThat(failure).isInstanceOf(RuntimeException.class).hasMessageContaining("UNIMPLEMENTED");
        } finally {
            Clients.close(client);
        }
    }

    @Test
    void aCollectionHoldsOneVectorFieldOnly(MilvusServer milvus) throws Exception {
        MilvusClientV2 client = Clients.connect(milvus.uri());
        try {
            CreateCollectionReq.CollectionSchema schema = client.createSchema();
            schema.addField(AddFieldReq.builder()
                    .fieldName("id")
                    .dataType(DataType.Int64)
                    .isPrimaryKey(true)
                    .build());
            schema.addField(AddFieldReq.builder()
                    .fieldName("text")
                    .dataType(DataType.FloatVector)
                    .dimension(2)
                    .build());
            schema.addField(AddFieldReq.builder()
                    .fieldName("image")
                    .dataType(DataType.FloatVector)
                    .dimension(2)
                    .build());

            Throwable failure = catchThrowable(() -> client.createCollection(CreateCollectionReq.builder()
                    .collectionName("two_vectors")
                    .collectionSchema(schema)
                    .build()));

            assertThat(failure)
                    .isInstanceOf(RuntimeException.class)
                    .hasMessageContaining("multiple vector fields is not supported");
        } finally {
            Clients.close(client);
        }
    }
}
