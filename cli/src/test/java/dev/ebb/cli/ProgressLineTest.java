package dev.ebb.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ebb.core.state.PlanCounts;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ProgressLineTest {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final ProgressLine progress = new ProgressLine(new PrintStream(bytes, true, StandardCharsets.UTF_8), false,
            "churn");

    private String printed() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aLongWaitIsSaidWithItsReasonOnceAndAShortOneNot() {
        progress.waiting(Duration.ofMillis(300), "pacing calls to the account's rate limit");
        progress.waiting(Duration.ofSeconds(10), "throttled by the destination (429)");
        progress.waiting(Duration.ofSeconds(10), "throttled by the destination (429)");

        assertThat(printed().lines()).containsExactly("churn waiting 10.0 s: throttled by the destination (429)");
    }

    @Test
    void theExtractionCountReadsAsSoFarBeforeThePlansTotal() {
        progress.extracted(50_000);
        progress.planned(new PlanCounts(100_000, 100_000, 0, 0, 0, 0));

        assertThat(printed().lines()).containsExactly("churn extracting: 50,000 rows read so far",
                "churn planned from 100,000 rows: 100,000 added, 0 changed, 0 removed, 0 unchanged, 0 invalid");
    }
}
