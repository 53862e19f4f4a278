/**
 * Credentials that may change while the application runs ({@code token-file}, {@code password-file} with
 * {@code user} or {@code user-file},
 * {@code credentials-provider}): read when an alias connects and again about once a second on a thread of their
 * own, and sent with each call by {@link io.github.milvuscdi.internal.credentials.CredentialsInterceptor}, so that
 * the next calls use a new value without a reconnect. Above {@code config} and {@code sdk}, below {@code client}.
 */
package io.github.milvuscdi.internal.credentials;
