package dev.ebb.sandbox;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link SlidingWindow} and {@link PeriodCount}: the two ways vendors count a limit. */
class RateWindowsTest {
    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-03-02T23:59:50Z"));
    private final Clock clock = new Clock() {
        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now.get();
        }
    };

    private void advance(Duration amount) {
        now.updateAndGet(t -> t.plus(amount));
    }

    @Test
    void aSlidingWindowCountsATakeUntilTheWindowHasPassedSinceIt() {
        SlidingWindow window = new SlidingWindow(2, Duration.ofSeconds(10), clock);
        assertThat(window.tryTake(1)).isTrue();
        advance(Duration.ofSeconds(5));
        assertThat(window.tryTake(1)).isTrue();
        assertThat(window.tryTake(1)).as("full").isFalse();
        assertThat(window.used()).as("a refused take counts nothing").isEqualTo(2);

        advance(Duration.ofSeconds(5)); // the first take is exactly 10 s old: it has left
        assertThat(window.remaining()).isEqualTo(1);
        assertThat(window.tryTake(2)).as("an amount that does not fit whole is refused").isFalse();
        assertThat(window.tryTake(1)).isTrue();
    }

    @Test
    void aRefundGivesBackOneTake() {
        SlidingWindow window = new SlidingWindow(3, Duration.ofSeconds(20), clock);
        Instant first = window.take(1);
        window.take(1);
        window.refund(first, 1);
        assertThat(window.used()).isEqualTo(1);
        window.reset();
        assertThat(window.used()).isZero();
    }

    @Test
    void aDailyCountStartsAgainAtMidnightInItsZoneNotTwentyFourHoursLater() {
        PeriodCount day = PeriodCount.daily(2, ZoneOffset.UTC, clock);
        long monday = day.take(2);
        assertThat(day.fits(1)).isFalse();
        assertThat(day.secondsToNextPeriod()).isEqualTo(10);

        advance(Duration.ofSeconds(10)); // 00:00:00 on Tuesday
        assertThat(day.fits(2)).isTrue();
        day.refund(monday, 1); // a refund for yesterday changes nothing today
        assertThat(day.used()).isZero();
    }

    @Test
    void aMinuteCountResetsAtEachWholeMinute() {
        PeriodCount minute = PeriodCount.perMinute(1, clock);
        minute.take(1);
        assertThat(minute.remaining()).isZero();
        assertThat(minute.secondsToNextPeriod()).isEqualTo(10);
        advance(Duration.ofSeconds(10));
        assertThat(minute.remaining()).isEqualTo(1);
        assertThat(minute.secondsToNextPeriod()).isEqualTo(60);
    }
}
