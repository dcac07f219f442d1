package dev.ebb.server.auth;

import dev.ebb.server.Role;
import java.util.Optional;

/** The API's tokens: who a bearer token is, if anyone. Thread-safe. */
public interface Tokens {
    /**
     * The caller a presented token names: its name and role.
     *
     * @throws Refused with what is wrong (unknown, expired, revoked) when the token does not stand
     */
    Caller verify(String presented) throws Refused;

    /** Who called: a token's name and role. */
    record Caller(String name, Role role) {
    }

    /** A token that does not stand, and why (said to the caller in a 401, without the token). */
    final class Refused extends Exception {
        public Refused(String message) {
            super(message);
        }
    }

    /** No token stands: nothing but public routes answer. */
    Tokens NONE = presented -> {
        throw new Refused("this server has no tokens; create one with 'ebb serve token create --role read'");
    };

    default Optional<Caller> lookup(String presented) {
        try {
            return Optional.of(verify(presented));
        } catch (Refused e) {
            return Optional.empty();
        }
    }
}
