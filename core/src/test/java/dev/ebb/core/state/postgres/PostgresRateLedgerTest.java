package dev.ebb.core.state.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ebb.core.delivery.InProcessRateLedger;
import dev.ebb.core.delivery.RateBudget;
import dev.ebb.core.state.Access;
import dev.ebb.core.state.StateException;
import dev.ebb.core.state.RateLedger;
import dev.ebb.spi.RateLimits;
import dev.ebb.spi.RateWindow;
import dev.ebb.testkit.EmbeddedPostgresExtension;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two workers' budgets, each with its own connection to one real PostgreSQL, hammering one account from several
 * threads each: together they never grant more than the account's limit in any window.
 */
class PostgresRateLedgerTest {
    @RegisterExtension
    static final EmbeddedPostgresExtension POSTGRES = new EmbeddedPostgresExtension();

    /** HubSpot Professional's limit, as its connector declares it. */
    static final RateWindow LIMIT = new RateWindow(190, Duration.ofSeconds(10));
    static final RateLimits LIMITS = new RateLimits(List.of(LIMIT), 4, Optional.empty());
    static final String ACCOUNT = "hubspot:portal-1";

    final Clock clock = Clock.systemUTC();

    private static final String SCHEMA = "ebb_rates";

    @BeforeEach
    void forgetEarlierGrants() throws Exception {
        store().close(); // migrates the schema on first use
        POSTGRES.execute(EmbeddedPostgresExtension.DEFAULT_DATABASE, "TRUNCATE " + SCHEMA + ".rate_accounts, "
                + SCHEMA + ".rate_grants");
    }

    @Test
    void twoWorkersHammeringOneAccountNeverGrantMoreThanItsLimitInAnyWindow() throws Exception {
        // Two workers: each its own store, hence its own pool of connections.
        try (PostgresStateStore one = store(); PostgresStateStore other = store()) {
            List<Instant> calls = hammer(List.of(budget(PostgresRateLedger.of(one)),
                    budget(PostgresRateLedger.of(other))), 4, 100);

            assertThat(calls).hasSize(800);
            assertThat(maxInWindow(calls, LIMIT.per())).isLessThanOrEqualTo(LIMIT.requests());
            // And they use the whole limit together: 800 calls take 4 windows after the first burst, not 8.
            Duration spread = Duration.between(calls.getFirst(), calls.getLast());
            assertThat(spread).isLessThan(Duration.ofMillis(5 * 10_250));
        }
    }

    @Test
    void twoWorkersEachWithALedgerOfItsOwnTogetherExceedTheLimit() throws Exception {
        // What the shared ledger prevents: each process's budget grants the whole limit.
        List<Instant> calls = hammer(List.of(budget(new InProcessRateLedger(clock)),
                budget(new InProcessRateLedger(clock))), 4, 100);
        assertThat(maxInWindow(calls, LIMIT.per())).isGreaterThan(LIMIT.requests());
    }

    @Test
    void aThrottleOfOneWorkerPausesTheOther() throws Exception {
        try (PostgresStateStore one = store(); PostgresStateStore two = store()) {
            RateBudget throttled = budget(PostgresRateLedger.of(one));
            RateBudget other = budget(PostgresRateLedger.of(two));
            assertThat(other.reserve()).isLessThan(Duration.ofSeconds(1));
            throttled.throttled(Duration.ofSeconds(3));
            assertThat(other.reserve()).isGreaterThan(Duration.ofMillis(2_500));
        }
    }

    @Test
    void aStateStoreThatCannotBeReachedIsNamedInTheError() {
        PostgresRateLedger ledger = new PostgresRateLedger(() -> {
            throw new SQLException("Connection to 127.0.0.1:1 refused");
        });
        assertThatThrownBy(() -> budget(ledger).reserve())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("destination account " + ACCOUNT)
                .hasMessageContaining("rate ledger (PostgreSQL)")
                .hasMessageContaining("refused");
    }

    RateBudget budget(RateLedger ledger) {
        return new RateBudget(ACCOUNT, LIMITS, clock, ledger);
    }

    /**
     * {@code threads} threads per budget book {@code each} calls as fast as they can; returns when the calls were
     * granted to go (the instant of booking plus the wait), sorted. Nobody waits: the grants are what matters.
     */
    static List<Instant> hammer(List<RateBudget> budgets, int threads, int each) throws Exception {
        List<Instant> calls = Collections.synchronizedList(new ArrayList<>());
        try (ExecutorService pool = Executors.newFixedThreadPool(budgets.size() * threads)) {
            List<Future<?>> done = new ArrayList<>();
            for (RateBudget budget : budgets) {
                for (int t = 0; t < threads; t++) {
                    done.add(pool.submit(() -> {
                        for (int i = 0; i < each; i++) {
                            Duration wait = budget.reserve();
                            calls.add(Instant.now().plus(wait));
                        }
                    }));
                }
            }
            for (Future<?> f : done) f.get();
        }
        List<Instant> sorted = new ArrayList<>(calls);
        sorted.sort(null);
        return sorted;
    }

    /** The most calls in any window (t - per, t], as a vendor's sliding limiter counts them. */
    static long maxInWindow(List<Instant> sorted, Duration per) {
        long max = 0;
        int from = 0;
        for (int to = 0; to < sorted.size(); to++) {
            while (!sorted.get(from).isAfter(sorted.get(to).minus(per))) from++;
            max = Math.max(max, to - from + 1);
        }
        return max;
    }

    static PostgresStateStore store() throws StateException {
        return PostgresStateStore.open(POSTGRES.jdbcUrl(EmbeddedPostgresExtension.DEFAULT_DATABASE),
                EmbeddedPostgresExtension.ADMIN_USER, null, SCHEMA, Access.READ_WRITE);
    }
}
