package dev.ebb.server.web;

/**
 * Who is signed in to the UI, as their token says.
 *
 * @param name     the token's name, shown in the header and written to the audit log by the server
 * @param operator whether the token may act (trigger, approve, reject, resolve); a read-only token only looks
 */
public record UiUser(String name, boolean operator) {
}
