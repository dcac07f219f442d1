package dev.ebb.core.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ebb.spi.RateLimits;
import dev.ebb.spi.RateUsage;
import dev.ebb.spi.RateWindow;
import dev.ebb.testkit.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RateBudgetTest {
    final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));

    /** Takes {@code calls} calls as a single caller that waits as told, and returns the instants they went at. */
    List<Instant> take(RateBudget budget, int calls) {
        List<Instant> at = new ArrayList<>();
        for (int i = 0; i < calls; i++) {
            clock.advance(budget.reserve());
            at.add(clock.instant());
        }
        return at;
    }

    static void assertNoWindowExceeded(List<Instant> calls, int requests, Duration per) {
        for (int i = requests; i < calls.size(); i++) {
            assertThat(Duration.between(calls.get(i - requests), calls.get(i)))
                    .as("call %d and call %d are a window apart or more", i - requests, i)
                    .isGreaterThanOrEqualTo(per);
        }
    }

    @Test
    void aBurstUpToTheLimitGoesAtOnceAndTheNextWaitsForTheWindowToRoll() {
        RateBudget budget = new RateBudget(limits(new RateWindow(190, Duration.ofSeconds(10))), clock);
        List<Instant> calls = take(budget, 190);
        assertThat(calls.getLast()).isEqualTo(calls.getFirst());
        assertThat(budget.reserve()).isEqualTo(Duration.ofMillis(10_250));
    }

    @Test
    void sustainedCallsNeverExceedAnyWindowAndRunAtItsFullRate() {
        RateBudget budget = new RateBudget(limits(new RateWindow(190, Duration.ofSeconds(10)),
                new RateWindow(5000, Duration.ofMinutes(10))), clock);
        List<Instant> calls = take(budget, 1900);
        assertNoWindowExceeded(calls, 190, Duration.ofSeconds(10));
        assertNoWindowExceeded(calls, 5000, Duration.ofMinutes(10));
        // 1,900 calls at 190 per 10 s: the first 190 at once, then 9 more windows (each with its safety margin).
        assertThat(Duration.between(calls.getFirst(), calls.getLast())).isEqualTo(Duration.ofMillis(9 * 10_250));
    }

    @Test
    void callersSharingABudgetTogetherStayInsideIt() {
        RateBudget shared = new RateBudget(limits(new RateWindow(10, Duration.ofSeconds(1))), clock);
        // Two syncs interleave their reservations; each waits what it is told from the same clock.
        List<Instant> all = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            Duration a = shared.reserve();
            Duration b = shared.reserve();
            all.add(clock.instant().plus(a));
            all.add(clock.instant().plus(b));
            clock.advance(b);
        }
        all.sort(null);
        assertNoWindowExceeded(all, 10, Duration.ofSeconds(1));
    }

    @Test
    void aSpentWindowReportedByTheVendorPausesForAboutOneCallsShare() {
        RateBudget budget = new RateBudget(limits(new RateWindow(100, Duration.ofSeconds(10))), clock);
        budget.observe(new RateUsage(100L, 0L, Duration.ofSeconds(10), null));
        assertThat(budget.reserve()).isEqualTo(Duration.ofMillis(200));
    }

    @Test
    void aThrottleCutsTheAllowanceAndPausesEveryoneThenSuccessesWinItBackGradually() {
        RateBudget budget = new RateBudget(limits(new RateWindow(100, Duration.ofSeconds(10))), clock);
        budget.throttled(Duration.ofSeconds(3));
        assertThat(budget.reserve()).isEqualTo(Duration.ofSeconds(3));
        assertThat(budget.allowance()).isEqualTo(RateBudget.CUT);
        budget.throttled(Duration.ofSeconds(1)); // the other calls of the same episode: no further cut
        assertThat(budget.allowance()).isEqualTo(RateBudget.CUT);
        for (int i = 0; i < 10; i++) {
            clock.advance(Duration.ofSeconds(5)); // a new episode each time
            budget.throttled(Duration.ZERO);
        }
        assertThat(budget.allowance()).isEqualTo(RateBudget.FLOOR);

        // At the floor, only 10 of the declared 100 calls fit a window.
        clock.advance(Duration.ofSeconds(20));
        List<Instant> calls = take(budget, 11);
        assertThat(Duration.between(calls.getFirst(), calls.getLast())).isEqualTo(Duration.ofMillis(10_250));

        double before = budget.allowance();
        budget.observe(RateUsage.UNKNOWN);
        assertThat(budget.allowance()).isGreaterThan(before).isLessThan(before + 0.01);
        for (int i = 0; i < 1000; i++) budget.observe(RateUsage.UNKNOWN);
        assertThat(budget.allowance()).isEqualTo(1.0);
    }

    @Test
    void aLowerLimitReportedByTheVendorIsBelieved() {
        RateBudget budget = new RateBudget(limits(new RateWindow(190, Duration.ofSeconds(10))), clock);
        budget.observe(new RateUsage(100L, 99L, Duration.ofSeconds(10), null));
        List<Instant> calls = take(budget, 101);
        assertNoWindowExceeded(calls, 100, Duration.ofSeconds(10));
    }

    static RateLimits limits(RateWindow... windows) {
        return new RateLimits(List.of(windows), 1, Optional.empty());
    }
}
