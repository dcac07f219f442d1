package dev.ebb.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** schedule: { cron, timezone } and { after }: what ebb serve reads, checked when the project loads. */
class ScheduleConfigTest {
    @TempDir
    Path root;

    private TestingProject withSyncs(String firstSchedule, String secondSchedule) {
        return TestingProject.valid(root)
                .file("syncs/churn_to_hubspot.yaml", TestingProject.SYNC_YAML + "schedule: " + firstSchedule + "\n")
                .file("syncs/second.yaml", TestingProject.SYNC_YAML + "schedule: " + secondSchedule + "\n");
    }

    @Test
    void aCronIsReadInItsTimeZoneAndAfterNamesAnotherSync() throws ConfigException {
        var project = withSyncs("{ cron: \"0 7 * * *\", timezone: Europe/Paris }", "{ after: churn_to_hubspot }")
                .load().project();

        Schedule cron = project.syncs().get("churn_to_hubspot").schedule();
        assertThat(cron.zone()).isEqualTo(ZoneId.of("Europe/Paris"));
        assertThat(cron.manual()).isFalse();
        Schedule after = project.syncs().get("second").schedule();
        assertThat(after.after()).isEqualTo("churn_to_hubspot");
        assertThat(after.manual()).isFalse();
        assertThat(new Schedule(null, "0 * * * *").zone()).isEqualTo(ZoneOffset.UTC);
    }

    @Test
    void anUnknownZoneAnUnknownSyncAndACircleAreErrorsThatSayWhatToDo() {
        List<String> zone = messages(withSyncs("{ cron: \"0 7 * * *\", timezone: Mars/Olympus }", "manual"));
        assertThat(zone).anyMatch(m -> m.contains("'Mars/Olympus' is not a time zone"));

        List<String> unknown = messages(withSyncs("{ after: churn_to_hubspott }", "manual"));
        assertThat(unknown).anyMatch(m -> m.contains("names no sync") && m.contains("churn_to_hubspot"));

        List<String> circle = messages(withSyncs("{ after: second }", "{ after: churn_to_hubspot }"));
        assertThat(circle).anyMatch(m -> m.contains("goes round in a circle"));

        List<String> both = messages(withSyncs("{ every: 1h, after: second }", "manual"));
        assertThat(both).anyMatch(m -> m.contains("one of every:, cron: or after:"));
    }

    private static List<String> messages(TestingProject project) {
        return project.problems().stream().map(ConfigProblem::message).toList();
    }
}
