package dev.ebb.server.web;

import io.javalin.http.Context;
import io.javalin.http.Cookie;
import io.javalin.http.SameSite;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signing in to the UI with an API token, and keeping forms safe from other sites.
 *
 * <p>The login form's token goes into an {@code HttpOnly}, {@code SameSite=Strict} cookie (and {@code Secure} over
 * HTTPS): scripts cannot read it, other sites cannot send it. Every request checks the token again exactly as the API
 * does, so a revoked or expired token stops working in the UI at once, and several servers behind one address need
 * no shared session.
 *
 * <p>Every form carries a CSRF value, an HMAC of the cookie under a key this process draws at start (a site that
 * cannot read the cookie cannot compute it), and a state-changing request whose {@code Origin} is another site's is
 * refused. Thread-safe.
 */
final class UiSession {
    static final String COOKIE = "ebb_session";
    static final String CSRF_FIELD = "csrf";
    /** Twelve hours: a working day, then sign in again. */
    private static final int MAX_AGE_SECONDS = 12 * 3600;

    private final byte[] key = new byte[32];

    UiSession() {
        new SecureRandom().nextBytes(key);
    }

    /** The token of the signed-in browser, if its cookie carries one. */
    Optional<String> token(Context ctx) {
        String value = ctx.cookie(COOKIE);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value);
    }

    void signIn(Context ctx, String token) {
        ctx.cookie(cookie(token, MAX_AGE_SECONDS, secure(ctx)));
    }

    void signOut(Context ctx) {
        ctx.cookie(cookie("", 0, secure(ctx)));
    }

    /** The CSRF value every form of this browser carries. */
    String csrf(String token) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(mac.doFinal(("csrf:" + token).getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    /** Whether a form sent with {@code token}'s cookie carries its CSRF value and comes from this site. */
    boolean formIsOurs(Context ctx, String token) {
        String sent = ctx.formParam(CSRF_FIELD);
        return sent != null && sameOrigin(ctx) && MessageDigest.isEqual(
                sent.getBytes(StandardCharsets.UTF_8), csrf(token).getBytes(StandardCharsets.UTF_8));
    }

    /** A browser names the page a form came from in {@code Origin}; another site's is refused, none is allowed. */
    static boolean sameOrigin(Context ctx) {
        String origin = ctx.header("Origin");
        if (origin == null || origin.isBlank()) return true;
        try {
            URI from = URI.create(origin);
            String host = ctx.host();
            return host != null && from.getRawAuthority() != null && from.getRawAuthority().equalsIgnoreCase(host);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static boolean secure(Context ctx) {
        return "https".equalsIgnoreCase(ctx.scheme()) || "https".equalsIgnoreCase(ctx.header("X-Forwarded-Proto"));
    }

    private static Cookie cookie(String value, int maxAge, boolean secure) {
        return new Cookie(COOKIE, value, "/", maxAge, secure, true, null, SameSite.STRICT);
    }
}
