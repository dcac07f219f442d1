package dev.ebb.server.ops;

import dev.ebb.core.delivery.QuotaGate;
import dev.ebb.core.delivery.RateBudget;
import dev.ebb.core.state.RunRecord;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Ebb's metrics in Prometheus' text format (Micrometer). Per sync: rows by outcome, API calls, throttles, retries and
 * run durations by status, counted from runs as they finish; per destination account: the rate budget in use and
 * its allowance, and the quota left. Labels are sync names, outcomes, statuses and account ids (which never hold a
 * credential, see {@code AccountIds}). Thread-safe.
 */
public final class EbbMetrics {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Supplier<Map<String, RateBudget>> budgets;
    private final Supplier<Map<String, QuotaGate>> quotas;
    private final Set<String> accountsSeen = ConcurrentHashMap.newKeySet();
    private final Set<String> quotasSeen = ConcurrentHashMap.newKeySet();

    /**
     * @param budgets every account's rate budget ({@code RateBudgets::byAccount})
     * @param quotas  every account's quota gate ({@code SyncEngine::quotas})
     */
    public EbbMetrics(Supplier<Map<String, RateBudget>> budgets, Supplier<Map<String, QuotaGate>> quotas) {
        this.budgets = budgets;
        this.quotas = quotas;
    }

    /** Counts a run that just finished. */
    public void finished(RunRecord run) {
        String sync = run.sync();
        rows(sync, "delivered", run.delivered());
        rows(sync, "rejected", run.rejected());
        rows(sync, "invalid", run.invalid());
        rows(sync, "failed", run.failed());
        rows(sync, "skipped", run.skipped());
        Counter.builder("ebb.api.calls").description("Calls made to destinations, read-backs included")
                .tag("sync", sync).register(registry).increment(run.apiCalls());
        Counter.builder("ebb.throttles").description("Calls the destination throttled (429 and the like)")
                .tag("sync", sync).register(registry).increment(run.throttles());
        Counter.builder("ebb.retries").description("Calls made again after a transient failure")
                .tag("sync", sync).register(registry).increment(run.retries());
        if (run.finishedAt() != null) {
            Timer.builder("ebb.run.duration").description("How long runs took, by how they ended")
                    .tag("sync", sync).tag("status", run.status().label()).register(registry)
                    .record(Duration.between(run.startedAt(), run.finishedAt()));
        }
    }

    private void rows(String sync, String outcome, long count) {
        Counter.builder("ebb.rows").description("Rows by outcome").tag("sync", sync).tag("outcome", outcome)
                .register(registry).increment(count);
    }

    /** The text Prometheus scrapes. */
    public String scrape() {
        registerAccounts();
        return registry.scrape();
    }

    /** Accounts appear as syncs first call them: their gauges are registered at the next scrape. */
    private void registerAccounts() {
        budgets.get().forEach((account, budget) -> {
            if (!accountsSeen.add(account)) return;
            Gauge.builder("ebb.rate.budget.in.use", budget, RateBudget::inUse)
                    .description("Share of the account's rate allowance used in its busiest window, 0 to 1")
                    .tag("account", account).strongReference(true).register(registry);
            Gauge.builder("ebb.rate.budget.allowance", budget, RateBudget::allowance)
                    .description("Share of the declared rate limit the adaptive budget grants now, 0.1 to 1")
                    .tag("account", account).strongReference(true).register(registry);
        });
        quotas.get().forEach((account, quota) -> {
            if (!quotasSeen.add(account)) return;
            Gauge.builder("ebb.quota.remaining", quota, q -> (double) q.remaining())
                    .description("Calls left in the account's daily quota").tag("account", account).strongReference(true)
                    .register(registry);
        });
    }
}
