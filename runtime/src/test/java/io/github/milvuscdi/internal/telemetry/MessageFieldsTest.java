package io.github.milvuscdi.internal.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.milvus.grpc.BoolResponse;
import io.milvus.grpc.ErrorCode;
import io.milvus.grpc.HasCollectionRequest;
import io.milvus.grpc.QueryRequest;
import io.milvus.grpc.Status;
import org.junit.jupiter.api.Test;

/**
 * What a span records is read from the SDK's generated messages through their getters, not through
 * protobuf's reflection, which would cost a reflective call and an array per field on every call.
 */
class MessageFieldsTest {

    @Test
    void aRequestsCollectionDatabaseAndFilterAreReadThroughTheGeneratedGetters() {
        QueryRequest query = QueryRequest.newBuilder()
                .setCollectionName("books")
                .setDbName("library")
                .setExpr("year > 2000")
                .build();
        MessageFields fields = MessageFields.of(query);

        assertThat(fields.readsThroughGetters()).isTrue();
        assertThat(fields.describes(query)).isTrue();
        assertThat(fields.collection(query)).isEqualTo("books");
        assertThat(fields.database(query)).isEqualTo("library");
        assertThat(fields.filter(query)).isEqualTo("year > 2000");
    }

    @Test
    void anEmptyFieldIsNoValueAndAnotherTypeIsNotDescribed() {
        HasCollectionRequest unnamed = HasCollectionRequest.getDefaultInstance();
        MessageFields fields = MessageFields.of(unnamed);

        assertThat(fields.collection(unnamed)).isNull();
        assertThat(fields.database(unnamed)).isNull();
        assertThat(fields.filter(unnamed)).isNull();
        assertThat(fields.describes(QueryRequest.getDefaultInstance())).isFalse();
    }

    @Test
    void aResponsesMilvusErrorCodeIsReadFromItsStatusThroughTheGeneratedGetters() {
        BoolResponse failed = BoolResponse.newBuilder()
                .setStatus(Status.newBuilder().setCode(100).build())
                .build();
        BoolResponse legacy = BoolResponse.newBuilder()
                .setStatus(Status.newBuilder()
                        .setErrorCode(ErrorCode.CollectionNotExists)
                        .build())
                .build();
        MessageFields fields = MessageFields.of(failed);

        assertThat(fields.readsThroughGetters()).isTrue();
        assertThat(MessageFields.of(Status.getDefaultInstance()).readsThroughGetters())
                .isTrue();
        assertThat(fields.errorCode(failed)).isEqualTo(100);
        assertThat(fields.errorCode(legacy)).isEqualTo(ErrorCode.CollectionNotExists.getNumber());
        assertThat(fields.errorCode(BoolResponse.getDefaultInstance())).isZero();
    }
}
