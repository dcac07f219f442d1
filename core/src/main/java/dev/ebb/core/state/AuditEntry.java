package dev.ebb.core.state;

import java.time.Instant;

/**
 * One action someone took through {@code ebb serve}: who (a token's name), what, when, on which sync and run.
 *
 * @param id     its place in the log (0 before it is recorded)
 * @param at     when
 * @param actor  the name of the token that acted
 * @param action what was done: {@code trigger}, {@code cancel}, {@code approve}, {@code reject}, {@code reset},
 *               {@code resolve}, {@code retry}, {@code pause}, {@code resume}
 * @param sync   the sync acted on, or {@code null}
 * @param runId  the run acted on, or {@code null}
 * @param detail a few words more (the key and field resolved, the keys retried), never a secret or a value
 */
public record AuditEntry(long id, Instant at, String actor, String action, String sync, Long runId, String detail) {
}
