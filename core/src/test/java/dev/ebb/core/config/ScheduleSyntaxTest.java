package dev.ebb.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ScheduleSyntaxTest {
    @ParameterizedTest
    @CsvSource({"15s, PT15S", "30m, PT30M", "1h, PT1H", "1d, PT24H", "1h30m, PT1H30M", "2d12h, PT60H"})
    void durations(String written, Duration expected) {
        assertThat(ScheduleSyntax.parseDuration(written)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "1", "1 h", "1hour", "h", "-1h", "1.5h", "0s", "1w", "99999999999999999999d"})
    void notDurations(String written) {
        assertThatThrownBy(() -> ScheduleSyntax.parseDuration(written)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"0 * * * *", "*/15 * * * *", "0 9-17 * * MON-FRI", "0 0 1,15 * *", "30 2 * JAN,jul 0",
            "0 0 * * 7", "5-55/10 * * * *", " 0 * * * * "})
    void cronExpressions(String expression) {
        assertThat(ScheduleSyntax.cronProblem(expression)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "* * * *", "0 0 * * * *", "60 * * * *", "* 24 * * *", "* * 0 * *", "* * * 13 *",
            "* * * * 8", "*/0 * * * *", "5-1 * * * *", "? * * * *", "0 0 L * *", "@daily", "a b c d e"})
    void notCronExpressions(String expression) {
        assertThat(ScheduleSyntax.cronProblem(expression)).isPresent();
    }
}
