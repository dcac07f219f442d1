package dev.ebb.connector.marketo;

import dev.ebb.spi.DestinationException;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * The access token of one custom service, cached and renewed before it expires
 * (https://experienceleague.adobe.com/en/docs/marketo-developer/marketo/rest/authentication, "Tips and Best
 * Practices": "Before making any REST call, you should check the validity of the token based on its remaining
 * lifespan").
 *
 * <p>A token is renewed when less than {@link #RENEW_BEFORE} of its life is left. Marketo answers an early Identity
 * call with "the same token and the remaining lifespan", so a token handed out with less than that left is used to
 * its end instead of being asked for again on every call. A REST call refused with 601 or 602 {@linkplain
 * #invalidate invalidates} the token it carried, and the next {@link #current()} fetches a new one.
 *
 * <p>Identity calls are "not counted towards API call limit" (swagger-identity.json), so they never go through the
 * runtime's rate budget: one per token lifespan (an hour), plus one per 601/602.
 *
 * <p>Thread-safe: one renewal at a time; other callers wait for it rather than asking Identity again.
 */
final class AccessTokens {
    /** How long before its expiry a token is renewed. */
    static final Duration RENEW_BEFORE = Duration.ofSeconds(60);

    /** One call to the Identity endpoint. */
    interface Identity {
        Grant request() throws DestinationException;
    }

    /** What Identity handed out: the token and its remaining lifespan in seconds. */
    record Grant(String token, long expiresInSeconds) {
        Grant {
            Objects.requireNonNull(token, "token");
        }
    }

    private final Identity identity;
    private final Clock clock;
    private String token;
    private Instant renewAt;
    private long identityCalls;

    AccessTokens(Identity identity, Clock clock) {
        this.identity = identity;
        this.clock = clock;
    }

    /** A token valid for at least a while (or to its end), fetching one when needed. */
    synchronized String current() throws DestinationException {
        if (token != null && clock.instant().isBefore(renewAt)) return token;
        Instant asked = clock.instant();
        identityCalls++;
        Grant grant = identity.request();
        long seconds = Math.max(0, grant.expiresInSeconds());
        Instant expiresAt = asked.plusSeconds(seconds);
        renewAt = seconds > RENEW_BEFORE.toSeconds() ? expiresAt.minus(RENEW_BEFORE) : expiresAt;
        token = grant.token();
        return token;
    }

    /** Forgets {@code refused} (a token Marketo answered 601 or 602 to), unless a newer one replaced it already. */
    synchronized void invalidate(String refused) {
        if (refused.equals(token)) token = null;
    }

    /** How many times the Identity endpoint was asked. */
    synchronized long identityCalls() {
        return identityCalls;
    }
}
