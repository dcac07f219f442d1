package dev.ebb.server;

import io.javalin.security.RouteRole;

/**
 * Who may call a route. A token is {@link #READ} or {@link #OPERATOR}; an operator may do everything a reader may.
 * Only {@link #PUBLIC} routes ({@code /health}, readiness) answer without a token.
 */
public enum Role implements RouteRole {
    /** No token needed: health and readiness only. */
    PUBLIC,
    /** Looks at syncs, runs, outcomes, plans, conflicts and the audit log. */
    READ,
    /** Also acts: trigger, cancel, pause and resume, approve and reject, resolve, retry. */
    OPERATOR;

    /** Whether a token of this role may call a route that needs {@code needed}. */
    public boolean allows(Role needed) {
        return switch (needed) {
            case PUBLIC -> true;
            case READ -> this == READ || this == OPERATOR;
            case OPERATOR -> this == OPERATOR;
        };
    }
}
