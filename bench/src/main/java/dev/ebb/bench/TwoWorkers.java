package dev.ebb.bench;

import dev.ebb.sandbox.hubspot.HubSpotSandbox;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * {@code deliver-hubspot}'s <b>workers</b> scenario: two workers (two engines, each with its own connections to one
 * PostgreSQL state store in an embedded PostgreSQL, as two {@code ebb serve} processes have) deliver half the rows each
 * to one HubSpot account at once. Their budgets share the account's limit only through the store's rate ledger, so
 * the sandbox's request log must show at most 190 calls in any 10 s, and their records/s together is compared with
 * the account's 1,900.
 */
final class TwoWorkers {
    private TwoWorkers() {
    }

    static Map<String, Object> run(Path dir, long rows, Consumer<String> progress) throws Exception {
        long half = rows / 2;
        progress.accept(String.format(Locale.ROOT, "workers: two workers on one PostgreSQL rate ledger, syncs of %,d"
                + " and %,d rows to the same account at once", half, rows - half));
        Files.createDirectories(dir);
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().setDataDirectory(dir.resolve("postgres"))
                .setCleanDataDirectory(true).start();
             HubSpotSandbox sandbox = DeliverHubSpot.sandbox()) {
            String url = postgres.getJdbcUrl("postgres", "postgres").replaceFirst("\\?.*$", "");
            try (HubSpotProject a = HubSpotProject.write(dir.resolve("worker-a"), sandbox,
                         Map.of("contacts_a", new long[]{0, half}), null, url);
                 HubSpotProject b = HubSpotProject.write(dir.resolve("worker-b"), sandbox,
                         Map.of("contacts_b", new long[]{half, rows}), null, url)) {
                Map<String, Object> f = DeliverHubSpot.atOnce(sandbox, "per_worker_s",
                        start -> a.run("contacts_a", progress, start),
                        start -> b.run("contacts_b", line -> { }, start));
                List<String> models = new ArrayList<>(a.models.values());
                models.addAll(b.models.values());
                f.put("rows_lost", DeliverHubSpot.lost(sandbox, models, rows));
                DeliverHubSpot.report("workers", f, progress);
                return f;
            }
        }
    }
}
