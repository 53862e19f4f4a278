package io.github.milvuscdi.it.quarkus;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/**
 * {@link SemanticSearchTest} against the packaged application ({@code target/quarkus-app/quarkus-run.jar}):
 * the model, its native libraries (ONNX Runtime, the tokenizer) and its weights work from the
 * packaged jar's class path too.
 */
@QuarkusIntegrationTest
class SemanticSearchIT extends SemanticSearchTest {}
