package dev.ebb.spi;

import java.util.Objects;
import java.util.Set;

/**
 * What a destination can do with one object, declared as data so that a sync can be checked without a call.
 *
 * @param object     the object's API name ({@code contacts}, {@code Contact}, {@code users})
 * @param modes      the sync modes it supports
 * @param removals   the {@code on_removed} behaviours it supports
 * @param match      which fields can identify records
 * @param limits     the most one write call may carry
 * @param readBack   whether {@link Destination#read} works for this object
 * @param bulk       a bulk path for large plans, if the object has one
 * @param replace    the most records one {@link Operation#REPLACE} batch may carry, when the object's membership can be
 *                   replaced as a whole (a Meta audience's {@code usersreplace} session); empty when it cannot
 */
public record ObjectCapabilities(
        String object, Set<Mode> modes, Set<RemovalBehaviour> removals, MatchRule match, BatchLimits limits,
        boolean readBack, java.util.Optional<BulkLimits> bulk, java.util.Optional<BatchLimits> replace) {
    public ObjectCapabilities {
        Objects.requireNonNull(object, "object");
        modes = Set.copyOf(modes);
        removals = Set.copyOf(removals);
        Objects.requireNonNull(match, "match");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(bulk, "bulk");
        Objects.requireNonNull(replace, "replace");
    }

    /** An object that cannot be replaced as a whole. */
    public ObjectCapabilities(String object, Set<Mode> modes, Set<RemovalBehaviour> removals, MatchRule match,
                              BatchLimits limits, boolean readBack, java.util.Optional<BulkLimits> bulk) {
        this(object, modes, removals, match, limits, readBack, bulk, java.util.Optional.empty());
    }

    /** An object without a bulk path. */
    public ObjectCapabilities(String object, Set<Mode> modes, Set<RemovalBehaviour> removals, MatchRule match,
                              BatchLimits limits, boolean readBack) {
        this(object, modes, removals, match, limits, readBack, java.util.Optional.empty(), java.util.Optional.empty());
    }
}
