package dev.ebb.core.plan;

import dev.ebb.core.state.PlanCounts;
import java.util.List;
import java.util.Map;

/**
 * What a dry run found: the counts, a few sample payloads per kind of change, a few invalid rows with their
 * reasons, and warnings (a changed mapping, say).
 *
 * @param guardBreach why a run would hold this plan for approval (which threshold it crosses), or {@code null}
 */
public record PlanReport(String sync, PlanCounts counts, List<Sample> samples, List<Invalid> invalid,
                         List<String> warnings, long apiCalls, String guardBreach) {

    /** One planned write, as it would be sent. */
    public record Sample(String key, String change, String operation, Map<String, Object> fields) {
    }

    /** One invalid row and why. */
    public record Invalid(String key, String reason) {
    }
}
