package io.github.milvuscdi.it.notes;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

/**
 * The semantic-notes service: Jakarta REST under {@code /api}, every resource and provider found by
 * scanning. See {@link NotesResource} for the endpoints.
 */
@ApplicationPath("/api")
public class NotesApplication extends Application {}
