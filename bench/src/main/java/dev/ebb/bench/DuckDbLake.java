package dev.ebb.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The customer-health model in a DuckDB file ({@value #FILE} in the project's root), read by the DuckDB source
 * connector. The benchmark's own connections to the file are closed before Ebb opens it (DuckDB opens a file once
 * per process, in one mode).
 */
final class DuckDbLake implements ModelLake {
    static final String FILE = "lake.duckdb";

    private final Path file;
    private final Integer threads;

    /** @param threads DuckDB threads for the source and the baseline; {@code null} for DuckDB's default */
    DuckDbLake(Path root, Integer threads) {
        this.file = root.resolve(FILE);
        this.threads = threads;
    }

    @Override
    public String engine() {
        return "duckdb";
    }

    @Override
    public String sourceType() {
        return "duckdb";
    }

    @Override
    public Map<String, String> sourceSettings() {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("path", FILE);
        if (threads != null) settings.put("threads", threads.toString());
        return settings;
    }

    @Override
    public void generate(long rows) throws Exception {
        Files.deleteIfExists(file);
        Files.deleteIfExists(file.resolveSibling(FILE + ".wal"));
        try (Connection c = connect(); Statement st = c.createStatement()) {
            st.execute("""
                    CREATE TABLE customers AS
                    SELECT i AS id,
                           'customer' || lpad(i::VARCHAR, 8, '0') || '@example.com' AS customer_email,
                           ((hash(i) % 10000) / 10000.0)::DECIMAL(5,4) AS churn_risk_score,
                           ((hash(i * 7) % 50000000) / 100.0)::DECIMAL(12,2) AS lifetime_value,
                           (['free', 'starter', 'pro', 'enterprise'])[1 + (hash(i * 3) % 4)::INTEGER] AS plan,
                           hash(i * 5) % 10 <> 0 AS active,
                           DATE '2026-01-01' + (hash(i * 11) % 365)::INTEGER AS renewal_date,
                           TIMESTAMP '2025-01-01 00:00:00' + to_seconds((hash(i * 13) % 31536000)::BIGINT)
                               AS last_seen_at,
                           (['US', 'DE', 'FR', 'GB', 'BR', 'IN', 'JP'])[1 + (hash(i * 17) % 7)::INTEGER] AS country,
                           (1 + hash(i * 19) % 500)::INTEGER AS seats
                    FROM range(""" + rows + ") t(i)");
            st.execute("CHECKPOINT");
        }
    }

    @Override
    public long change(long rows, long changed) throws Exception {
        try (Connection c = connect(); Statement st = c.createStatement()) {
            st.execute("CREATE OR REPLACE TABLE customers_old AS SELECT * FROM customers");
            int n = st.executeUpdate(ModelLake.changeSql(rows, changed));
            st.execute("CHECKPOINT");
            return n;
        }
    }

    @Override
    public Map<String, Long> baseline() throws Exception {
        try (Connection c = connect(); Statement st = c.createStatement()) {
            if (threads != null) st.execute("SET threads = " + threads);
            st.execute(ModelLake.baselineSql("CREATE OR REPLACE TEMP TABLE"));
            return ModelLake.baselineCounts(st);
        }
    }

    private Connection connect() throws SQLException {
        return DriverManager.getConnection("jdbc:duckdb:" + file.toAbsolutePath());
    }
}
