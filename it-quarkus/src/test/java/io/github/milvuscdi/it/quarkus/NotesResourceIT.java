package io.github.milvuscdi.it.quarkus;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/**
 * {@link NotesResourceTest} against the packaged application ({@code target/quarkus-app/quarkus-run.jar}),
 * started by Quarkus in its own JVM with the servers' URIs as system properties.
 */
@QuarkusIntegrationTest
class NotesResourceIT extends NotesResourceTest {}
