package dev.ebb.core.config;

/**
 * {@code guard:} of a sync, the blast-radius guard: a plan that would remove or change more than these is held for
 * approval instead of delivered. Either threshold may be {@code null} (no limit).
 *
 * @param maxRemoved the most removals a run may deliver unapproved
 * @param maxChanged the most changes a run may deliver unapproved
 * @param location   where it is written, or the sync's file for the defaults
 */
public record Guard(Threshold maxRemoved, Threshold maxChanged, Location location) {
    /** No guard at all. */
    public static Guard none(Location location) {
        return new Guard(null, null, location);
    }
}
