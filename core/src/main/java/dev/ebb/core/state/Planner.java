package dev.ebb.core.state;

/** Where a sync's plan is worked out: next to its snapshot, so that the diff is one query there. */
public interface Planner {
    /** Opens a scratch space for a plan of {@code sync}; the caller closes it. */
    PlanSession plan(String sync) throws StateException;
}
