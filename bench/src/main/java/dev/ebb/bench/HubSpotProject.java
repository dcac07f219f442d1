package dev.ebb.bench;

import dev.ebb.core.config.ConnectorCatalog;
import dev.ebb.core.config.ProjectConfig;
import dev.ebb.core.config.ProjectLoader;
import dev.ebb.core.delivery.RateBudgets;
import dev.ebb.core.delivery.RetryPolicy;
import dev.ebb.core.delivery.Waiter;
import dev.ebb.core.plan.CatalogConnectors;
import dev.ebb.core.run.Progress;
import dev.ebb.core.run.RunReport;
import dev.ebb.core.run.SyncEngine;
import dev.ebb.core.state.Access;
import dev.ebb.core.state.RunRecord;
import dev.ebb.core.state.StateStore;
import dev.ebb.core.state.duckdb.DuckDbStateStore;
import dev.ebb.core.state.postgres.PostgresRateLedger;
import dev.ebb.core.state.postgres.PostgresStateStore;
import dev.ebb.sandbox.hubspot.HubSpotSandbox;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;

/**
 * A project of {@code deliver-hubspot} on disk, as a user writes one, loaded and run like {@code ebb run SYNC}: one
 * engine (one worker), hence one budget per account; concurrent runs share its state store. Thread-safe.
 */
final class HubSpotProject implements AutoCloseable {
    final Path root;
    final Map<String, String> models;
    final ProjectConfig config;
    final Map<String, String> env;
    /** The PostgreSQL state store's URL (the superuser, schema {@code ebb}), or {@code null} for the embedded one. */
    private final String postgresUrl;
    private StateStore state;
    private SyncEngine engine;

    private HubSpotProject(Path root, Map<String, String> models, ProjectConfig config, Map<String, String> env,
                           String postgresUrl) {
        this.root = root;
        this.models = models;
        this.config = config;
        this.env = env;
        this.postgresUrl = postgresUrl;
    }

    /**
     * One model and one sync per entry: name → [first row, end row); {@code share}, if not null, goes into the
     * destination's {@code limits}. The state store is the embedded one; calls are booked in this process only.
     */
    static HubSpotProject write(Path root, HubSpotSandbox sandbox, Map<String, long[]> syncs, String share)
            throws Exception {
        return write(root, sandbox, syncs, share, null);
    }

    /**
     * As {@link #write(Path, HubSpotSandbox, Map, String)}; with a {@code postgresUrl}, the state store is schema
     * {@code ebb} of that PostgreSQL (as its superuser), and calls are booked in its rate ledger, as a worker of
     * {@code ebb serve} on that store does.
     */
    static HubSpotProject write(Path root, HubSpotSandbox sandbox, Map<String, long[]> syncs, String share,
                                String postgresUrl) throws Exception {
        Benchmark.deleteTree(root);
        Files.createDirectories(root.resolve("models"));
        Files.createDirectories(root.resolve("syncs"));
        Files.writeString(root.resolve("ebb.yaml"), """
                name: deliver-hubspot
                state: %s
                sources:
                  lake: { type: duckdb }
                destinations:
                  hubspot:
                    type: hubspot
                    token: "${env:HUBSPOT_TOKEN}"
                    base_url: "${env:HUBSPOT_BASE_URL}"
                    tier: %s
                """.formatted(postgresUrl == null ? "{ store: embedded }"
                        : "{ store: postgres, url: \"" + postgresUrl + "\", user: postgres, schema: ebb }",
                DeliverHubSpot.TIER.name().toLowerCase(Locale.ROOT))
                + (share == null ? "" : "    limits: { share: " + share + " }\n"));
        Map<String, String> models = new LinkedHashMap<>();
        for (Map.Entry<String, long[]> sync : syncs.entrySet()) {
            String sql = """
                    SELECT 'bench' || lpad(i::VARCHAR, 8, '0') || '@example.com' AS email,
                           'First' || i AS first_name,
                           'Last' || (i %% 997) AS last_name,
                           ((hash(i) %% 10000) / 10000.0)::DECIMAL(5,4) AS score
                    FROM range(%d, %d) t(i)""".formatted(sync.getValue()[0], sync.getValue()[1]);
            models.put(sync.getKey(), sql);
            Files.writeString(root.resolve("models").resolve(sync.getKey() + ".sql"), sql + "\n");
            Files.writeString(root.resolve("syncs").resolve(sync.getKey() + ".yaml"), """
                    model: %s
                    key: email
                    destination: hubspot
                    object: contacts
                    mode: upsert
                    match: { column: email, field: email }
                    fields:
                      - { column: first_name, field: firstname }
                      - { column: last_name,  field: lastname }
                      - { column: score,      field: churn_risk_score }
                    """.formatted(sync.getKey()));
        }
        ProjectConfig config = ProjectLoader.load(root, ConnectorCatalog.fromServiceLoader());
        return new HubSpotProject(root, models, config, Map.of("HUBSPOT_TOKEN", DeliverHubSpot.TOKEN,
                "HUBSPOT_BASE_URL", sandbox.baseUrl()), postgresUrl);
    }

    /** Runs one sync with the classes {@code ebb run} uses. */
    RunRecord run(String sync, Consumer<String> progress, Instant start) throws Exception {
        RunReport report = engine().run(sync, new Progress() {
            Instant shown = start;

            @Override
            public void delivered(long rows, long total, long calls, long throttles) {
                Instant now = Instant.now();
                if (Duration.between(shown, now).toSeconds() >= 10 || rows == total) {
                    shown = now;
                    double seconds = Duration.between(start, now).toMillis() / 1000.0;
                    progress.accept(String.format(Locale.ROOT, "  %s t=%.0fs: %,d of %,d rows, %,.0f records/s,"
                                    + " %,d calls, %d throttled", sync, seconds, rows, total, rows / seconds,
                            calls, throttles));
                }
            }
        });
        return report.record();
    }

    private synchronized SyncEngine engine() throws Exception {
        if (engine == null) {
            Clock clock = Clock.systemUTC();
            RateBudgets budgets;
            if (postgresUrl == null) {
                state = DuckDbStateStore.open(root.resolve(config.state().path()), Access.READ_WRITE);
                budgets = new RateBudgets(clock);
            } else {
                PostgresStateStore postgres = PostgresStateStore.open(postgresUrl, "postgres", null, "ebb",
                        Access.READ_WRITE);
                state = postgres;
                budgets = new RateBudgets(clock, PostgresRateLedger.of(postgres));
            }
            engine = new SyncEngine(config, state, new CatalogConnectors(config,
                    ConnectorCatalog.fromServiceLoader(), env, clock), budgets,
                    RetryPolicy.DEFAULT, Waiter.SYSTEM, clock, RandomGenerator.of("L64X128MixRandom"));
        }
        return engine;
    }

    @Override
    public synchronized void close() {
        if (state != null) state.close();
    }
}
