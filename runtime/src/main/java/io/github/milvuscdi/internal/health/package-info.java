/**
 * The MicroProfile Health readiness check of every Milvus connection:
 * {@link io.github.milvuscdi.internal.health.MilvusReadinessCheck} is the bean; how aliases are probed in
 * parallel and bounded, and how a server is asked with a deadline, is package-private.
 */
package io.github.milvuscdi.internal.health;
