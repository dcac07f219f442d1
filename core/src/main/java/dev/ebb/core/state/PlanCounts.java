package dev.ebb.core.state;

/** How the model's rows compare with the snapshot. */
public record PlanCounts(long rows, long added, long changed, long removed, long unchanged, long invalid) {
    public long toSend() {
        return added + changed + removed;
    }
}
