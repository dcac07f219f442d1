package dev.ebb.core.run;

import dev.ebb.core.state.RunRecord;
import java.util.List;

/**
 * What a run did.
 *
 * @param record      the run as the run log stores it
 * @param warnings    things the user should know (a re-planned sync, a stop)
 * @param problems    a few rejected, invalid or failed rows with their reasons
 * @param unreachable whether the run stopped because its destination or source could not be reached
 */
public record RunReport(RunRecord record, List<String> warnings, List<String> problems, boolean unreachable) {
    public boolean clean() {
        return record.rejected() == 0 && record.invalid() == 0 && record.failed() == 0
                && record.status() == dev.ebb.core.state.RunStatus.SUCCEEDED;
    }
}
