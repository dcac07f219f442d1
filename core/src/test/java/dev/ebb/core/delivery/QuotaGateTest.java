package dev.ebb.core.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ebb.spi.Quota;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class QuotaGateTest {

    /** The counts as the state store keeps them, in memory. */
    static final class MemoryLedger implements QuotaGate.Ledger {
        final Map<LocalDate, Long> days = new HashMap<>();
        final TreeMap<Instant, Long> hours = new TreeMap<>();

        @Override
        public long used(String account, LocalDate day) {
            return days.getOrDefault(day, 0L);
        }

        @Override
        public void add(String account, LocalDate day, long calls) {
            days.merge(day, calls, Long::sum);
        }

        @Override
        public long usedSince(String account, Instant from) {
            return hours.tailMap(from, true).values().stream().mapToLong(Long::longValue).sum();
        }

        @Override
        public void addHourly(String account, Instant hour, long calls) {
            hours.merge(hour, calls, Long::sum);
        }
    }

    /** A clock that moves only when told. */
    static final class SetClock extends Clock {
        Instant now;

        SetClock(String at) {
            now = Instant.parse(at);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            SetClock outer = this;
            return new Clock() {
                @Override
                public ZoneId getZone() {
                    return zone;
                }

                @Override
                public Clock withZone(ZoneId other) {
                    return outer.withZone(other);
                }

                @Override
                public Instant instant() {
                    return outer.now;
                }
            };
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private static void takeAll(QuotaGate gate, int calls) {
        for (int i = 0; i < calls; i++) assertThat(gate.take()).as("call " + (i + 1)).isEmpty();
    }

    @Test
    void aRollingQuotaSpentBeforeMidnightStaysSpentAfterIt() {
        SetClock clock = new SetClock("2026-01-01T23:10:00Z");
        MemoryLedger ledger = new MemoryLedger();
        QuotaGate gate = new QuotaGate("org", Quota.rolling24Hours(10), ledger, clock);
        takeAll(gate, 10);
        assertThat(gate.take()).isPresent();

        clock.now = Instant.parse("2026-01-02T00:30:00Z"); // a calendar day would have reset here
        Optional<String> refused = gate.take();
        assertThat(refused).get().asString().contains("10 calls per rolling 24 hours")
                .contains("10 used in the last 24 hours").contains("2026-01-02T01:00:00Z");

        clock.now = Instant.parse("2026-01-02T23:05:00Z"); // 23 hours 55 minutes later: still inside the window
        assertThat(gate.take()).isPresent();

        clock.now = Instant.parse("2026-01-03T00:10:00Z"); // the 23:00 hour has left the window
        takeAll(gate, 10);
    }

    @Test
    void aRollingCountHoldsAcrossProcessesThroughTheLedger() {
        SetClock clock = new SetClock("2026-01-01T10:00:00Z");
        MemoryLedger ledger = new MemoryLedger();
        QuotaGate first = new QuotaGate("org", Quota.rolling24Hours(10), ledger, clock);
        takeAll(first, 6);
        first.flush();
        clock.now = clock.now.plus(Duration.ofHours(3));

        QuotaGate next = new QuotaGate("org", Quota.rolling24Hours(10), ledger, clock);
        assertThat(next.used()).isEqualTo(6);
        takeAll(next, 4);
        assertThat(next.take()).isPresent();
        next.flush();
        assertThat(ledger.hours).containsExactly(Map.entry(Instant.parse("2026-01-01T10:00:00Z"), 6L),
                Map.entry(Instant.parse("2026-01-01T13:00:00Z"), 4L));
        assertThat(ledger.days).isEmpty();
    }

    @Test
    void aCalendarQuotaStillResetsAtMidnightInItsZone() {
        SetClock clock = new SetClock("2026-01-01T07:50:00Z"); // 23:50 in Los Angeles
        MemoryLedger ledger = new MemoryLedger();
        QuotaGate gate = new QuotaGate("portal", new Quota(5, ZoneId.of("America/Los_Angeles")), ledger, clock);
        takeAll(gate, 5);
        assertThat(gate.take()).get().asString().contains("daily quota of 5 calls")
                .contains("resets at 2026-01-01T08:00:00Z");

        clock.now = Instant.parse("2026-01-01T08:10:00Z");
        takeAll(gate, 5);
        gate.flush();
        assertThat(ledger.days).containsOnlyKeys(LocalDate.parse("2025-12-31"), LocalDate.parse("2026-01-01"));
    }

    @Test
    void workersSharingALedgerSeeEachOthersCallsAtEachFlush() {
        SetClock clock = new SetClock("2026-01-01T10:00:00Z");
        MemoryLedger ledger = new MemoryLedger();
        QuotaGate one = new QuotaGate("portal", new Quota(10, ZoneId.of("UTC")), ledger, clock);
        QuotaGate other = new QuotaGate("portal", new Quota(10, ZoneId.of("UTC")), ledger, clock);
        takeAll(one, 4);
        takeAll(other, 4);
        one.flush();
        other.flush();
        // Each counted only its own 4 before; after the other's flush, one sees all 8 and has 2 left, not 6.
        one.flush();
        assertThat(one.used()).isEqualTo(8);
        takeAll(one, 2);
        assertThat(one.take()).isPresent();
    }
}
