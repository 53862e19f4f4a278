/**
 * Traces and metrics of every Milvus call through OpenTelemetry, when the application has it.
 *
 * <p>OpenTelemetry is optional: {@link io.github.milvuscdi.internal.telemetry.Telemetry} is the only
 * class here that an application without it loads, and it refers to no OpenTelemetry type.
 */
package io.github.milvuscdi.internal.telemetry;
