package dev.ebb.server.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CronExpressionsTest {
    @Test
    void fiveCronFieldsBecomeQuartzSevenWithSundayOneAndAQuestionMark() {
        assertThat(CronExpressions.quartz("0 9 * * 1-5")).isEqualTo("0 0 9 ? * 2-6");
        assertThat(CronExpressions.quartz("*/15 * * * *")).isEqualTo("0 */15 * * * ?");
        assertThat(CronExpressions.quartz("0 0 1 * *")).isEqualTo("0 0 0 1 * ?");
        assertThat(CronExpressions.quartz("0 6 * * 0,7")).isEqualTo("0 0 6 ? * 1,1");
        assertThat(CronExpressions.quartz("0 6 * * SAT")).isEqualTo("0 0 6 ? * SAT");
        assertThatThrownBy(() -> CronExpressions.quartz("0 6 1 * 1"))
                .hasMessageContaining("make one of them '*'");
    }
}
