package dev.ebb.server.auth;

import dev.ebb.core.state.ApiToken;
import dev.ebb.core.state.StateException;
import dev.ebb.core.state.StateStore;
import dev.ebb.core.state.TokenRole;
import dev.ebb.server.Role;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Tokens kept in the state store: a token is {@code ebb_} and 32 random bytes (base64url), shown once when it is
 * created; the store keeps only its SHA-256, with its name, role and expiry. A presented token is hashed and looked
 * up; an unknown, expired or revoked one is refused. Thread-safe.
 */
public final class StoredTokens implements Tokens {
    private static final String PREFIX = "ebb_";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final StateStore state;
    private final Clock clock;

    public StoredTokens(StateStore state, Clock clock) {
        this.state = state;
        this.clock = clock;
    }

    /**
     * Creates a token and returns it: the only time it is seen, since only its hash is kept.
     *
     * @throws IllegalArgumentException for a name in use or not made of letters, digits, '-', '_' and '.'
     */
    public String create(String name, TokenRole role, Duration validity) throws StateException {
        if (!name.matches("[A-Za-z0-9._-]{1,64}")) {
            throw new IllegalArgumentException("a token's name is 1 to 64 letters, digits, '.', '_' or '-'; '" + name
                    + "' is not");
        }
        if (validity.isNegative() || validity.isZero()) {
            throw new IllegalArgumentException("a token must be valid for some time; --expires must be positive");
        }
        if (state.tokens().stream().anyMatch(t -> t.name().equals(name))) {
            throw new IllegalArgumentException("there is a token named '" + name + "' already; pick another name, or"
                    + " revoke it first with 'ebb serve token revoke " + name + "'");
        }
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        String token = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        Instant now = clock.instant();
        state.saveToken(new ApiToken(name, role, hash(token), now, now.plus(validity), null));
        return token;
    }

    @Override
    public Caller verify(String presented) throws Refused {
        Optional<ApiToken> found;
        try {
            found = presented.startsWith(PREFIX) ? state.tokenByHash(hash(presented)) : Optional.empty();
        } catch (StateException e) {
            throw new Refused("the token could not be checked: " + e.getMessage());
        }
        if (found.isEmpty()) {
            throw new Refused("the token is not one this server issued (was it copied whole?); create one with"
                    + " 'ebb serve token create --role read|operator'");
        }
        ApiToken token = found.get();
        if (token.revokedAt() != null) {
            throw new Refused("token '" + token.name() + "' was revoked at " + token.revokedAt());
        }
        if (!clock.instant().isBefore(token.expiresAt())) {
            throw new Refused("token '" + token.name() + "' expired at " + token.expiresAt() + "; create a new one");
        }
        return new Caller(token.name(), switch (token.role()) {
            case READ -> Role.READ;
            case OPERATOR -> Role.OPERATOR;
        });
    }

    /** The SHA-256 of a token, in hex: what the store keeps. */
    static String hash(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
