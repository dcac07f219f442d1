package dev.ebb.core.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ebb.spi.Quota;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A quota counted over the vendor's window, through runs, processes and the state store. */
class QuotaWindowTest {
    @TempDir
    Path dir;

    @Test
    void aRollingQuotaSpentLateInTheDayStaysSpentAfterMidnightUntilItsCallsLeaveTheWindow() throws Exception {
        try (EngineFixture f = new EngineFixture(dir)) {
            f.destination.dailyQuota = Optional.of(Quota.rolling24Hours(4));
            f.clock.advance(Duration.ofHours(23).plusMinutes(30));
            for (int i = 0; i < 12; i++) f.row("p" + i + "@x.io", "1", "free");
            RunReport first = f.engine().run("people", Progress.NONE);
            // describe + 3 batches of 3 fit the quota of 4 calls; the last batch waits for calls to leave the window
            assertThat(first.record().status().label()).isEqualTo("quota_exhausted");
            assertThat(first.record().delivered()).isEqualTo(9);
            assertThat(first.record().message()).contains("4 calls per rolling 24 hours");
            assertThat(f.state.quotaUsedSince("memory", Instant.parse("2026-01-01T23:00:00Z"))).isEqualTo(4);

            f.clock.advance(Duration.ofHours(1)); // past midnight: a calendar day would start afresh
            f.reopen();
            assertThatThrownBy(() -> f.engine().run("people", Progress.NONE))
                    .hasMessageContaining("4 used in the last 24 hours");
            assertThat(f.destination.records).hasSize(9);

            f.clock.advance(Duration.ofHours(24));
            RunReport next = f.engine().run("people", Progress.NONE);
            assertThat(next.record().delivered()).isEqualTo(3);
            assertThat(f.destination.records).hasSize(12);
        }
    }
}
