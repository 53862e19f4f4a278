package io.github.milvuscdi.testing;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

/**
 * A password and a token made up for one test run, and the check that none of them shows in a
 * text (a log, a health report, an exception message). Generated per run, so that finding one
 * cannot be chance; each is checked as written and as a client sends it (base64 in the
 * {@code authorization} header).
 *
 * <pre>{@code
 * static final TestSecrets SECRETS = TestSecrets.generate();
 * config.put("milvus.connections.search.user", SECRETS.user());
 * config.put("milvus.connections.search.password", SECRETS.password());
 * config.put("milvus.connections.archive.token", SECRETS.token());
 * // ...
 * SECRETS.assertNoneIn("readiness report", body);
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 *
 * @param user a user name (not a secret; part of the {@code user:password} form)
 * @param password a password, {@code pw-} and a random UUID
 * @param token a token, {@code tok-} and a random UUID
 */
public record TestSecrets(String user, String password, String token) {

    /**
     * Makes up a password and a token, for the user {@code root}.
     *
     * @return fresh secrets
     */
    public static TestSecrets generate() {
        return new TestSecrets("root", "pw-" + UUID.randomUUID(), "tok-" + UUID.randomUUID());
    }

    /**
     * Every form in which a secret could leak: the password, the token, and each as the client
     * sends it ({@code base64(user:password)}, {@code base64(token)}).
     *
     * @return the forms
     */
    public List<String> forms() {
        Base64.Encoder base64 = Base64.getEncoder();
        return List.of(
                password,
                token,
                base64.encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)),
                base64.encodeToString(token.getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * Fails when a text holds any form of a secret.
     *
     * @param what what the text is, for the failure's message
     * @param text the text; {@code null} counts as empty
     * @throws AssertionError naming which form was found (not its value) and the text's start
     */
    public void assertNoneIn(String what, String text) {
        if (text == null) {
            return;
        }
        List<String> names = List.of("the password", "the token", "base64(user:password)", "base64(token)");
        List<String> forms = forms();
        for (int i = 0; i < forms.size(); i++) {
            if (text.contains(forms.get(i))) {
                throw new AssertionError(
                        what + " shows " + names.get(i) + ": " + text.replace(forms.get(i), "<" + names.get(i) + ">"));
            }
        }
    }

    /** @return the user and how many secrets, never their values */
    @Override
    public String toString() {
        return "TestSecrets[user=" + user + ", password and token hidden]";
    }
}
