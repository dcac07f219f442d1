package dev.ebb.core.synclog;

import dev.ebb.core.state.RunRecord;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes one run into the log tables of a schema, in one transaction: its outcomes and its summary replace whatever
 * an earlier attempt wrote for the same run (so writing again is harmless), and the project's rows older than the
 * retention are deleted. Creates the schema and tables when missing. Not thread-safe; one per connection.
 *
 * <p>The tables ({@code docs/sync-logs.md} documents them for analysts): {@code sync_runs}, one row per run, and
 * {@code sync_outcomes}, one row per planned or invalid row of a run. Their schema name is checked by the loader
 * (lower-case letters, digits and '_'), so it is written unquoted.
 */
final class LogWriter {
    static final String RUNS = "sync_runs";
    static final String OUTCOMES = "sync_outcomes";
    /** Rows per INSERT: 9 parameters each, well under every engine's limit on one statement's parameters. */
    private static final int ROWS_PER_INSERT = 500;
    private static final String OUTCOME_COLUMNS = "project, sync_name, run_id, row_key, change, operation, status,"
            + " reason, logged_at";

    private final Connection connection;
    private final LogEngine engine;
    private final String schema;
    private final String project;

    LogWriter(Connection connection, LogEngine engine, String schema, String project) {
        this.connection = connection;
        this.engine = engine;
        this.schema = schema;
        this.project = project;
    }

    /** Creates the schema, the tables and (where the engine needs them) their indexes, when missing. */
    void createTables() throws SQLException {
        List<String> ddl = new ArrayList<>(List.of(
                "CREATE SCHEMA IF NOT EXISTS " + schema,
                "CREATE TABLE IF NOT EXISTS " + table(RUNS) + " (project text NOT NULL, sync_name text NOT NULL,"
                        + " run_id bigint NOT NULL, status text NOT NULL, started_at timestamptz,"
                        + " finished_at timestamptz, added bigint, changed bigint, removed bigint,"
                        + " unchanged bigint, invalid bigint, delivered bigint, rejected bigint, failed bigint,"
                        + " skipped bigint, api_calls bigint, throttles bigint, retries bigint, read_calls bigint,"
                        + " conflicts bigint, message text, logged_at timestamptz NOT NULL)",
                "CREATE TABLE IF NOT EXISTS " + table(OUTCOMES) + " (project text NOT NULL, sync_name text NOT NULL,"
                        + " run_id bigint NOT NULL, row_key text, change text, operation text, status text NOT NULL,"
                        + " reason text, logged_at timestamptz NOT NULL)"));
        if (engine.indexes) {
            ddl.add("CREATE INDEX IF NOT EXISTS " + OUTCOMES + "_run ON " + table(OUTCOMES)
                    + " (project, sync_name, run_id)");
            ddl.add("CREATE INDEX IF NOT EXISTS " + OUTCOMES + "_logged_at ON " + table(OUTCOMES) + " (logged_at)");
            ddl.add("CREATE INDEX IF NOT EXISTS " + RUNS + "_run ON " + table(RUNS) + " (project, sync_name, run_id)");
        }
        boolean auto = connection.getAutoCommit();
        connection.setAutoCommit(true);
        try (Statement statement = connection.createStatement()) {
            for (String sql : ddl) statement.execute(sql);
        } finally {
            connection.setAutoCommit(auto);
        }
    }

    /**
     * Writes the run and its spooled outcomes, and deletes the project's rows logged before {@code cutoff}.
     *
     * @return how many outcome rows were written
     */
    long write(RunRecord run, OutcomeSpool spool, Instant now, Instant cutoff) throws SQLException, IOException {
        connection.setAutoCommit(false);
        try {
            deleteRun(run);
            long written = insertOutcomes(run, spool);
            insertRun(run, now);
            deleteOlderThan(cutoff);
            connection.commit();
            return written;
        } catch (SQLException | IOException | RuntimeException e) {
            try {
                connection.rollback();
            } catch (SQLException rollback) {
                e.addSuppressed(rollback);
            }
            throw e;
        }
    }

    private void deleteRun(RunRecord run) throws SQLException {
        for (String table : List.of(RUNS, OUTCOMES)) {
            try (PreparedStatement delete = connection.prepareStatement("DELETE FROM " + table(table)
                    + " WHERE project = ? AND sync_name = ? AND run_id = ?")) {
                delete.setString(1, project);
                delete.setString(2, run.sync());
                delete.setLong(3, run.runId());
                delete.executeUpdate();
            }
        }
    }

    private long insertOutcomes(RunRecord run, OutcomeSpool spool) throws SQLException, IOException {
        long written = 0;
        List<OutcomeSpool.Row> chunk = new ArrayList<>(ROWS_PER_INSERT);
        try (OutcomeSpool.Reader rows = spool.read();
             PreparedStatement full = connection.prepareStatement(insertOutcomes(ROWS_PER_INSERT))) {
            OutcomeSpool.Row row;
            while ((row = rows.next()) != null) {
                chunk.add(row);
                if (chunk.size() == ROWS_PER_INSERT) {
                    bind(full, run, chunk);
                    full.executeUpdate();
                    written += chunk.size();
                    chunk.clear();
                }
            }
        }
        if (!chunk.isEmpty()) {
            try (PreparedStatement rest = connection.prepareStatement(insertOutcomes(chunk.size()))) {
                bind(rest, run, chunk);
                rest.executeUpdate();
            }
            written += chunk.size();
        }
        return written;
    }

    private String insertOutcomes(int rows) {
        StringBuilder sql = new StringBuilder("INSERT INTO ").append(table(OUTCOMES)).append(" (")
                .append(OUTCOME_COLUMNS).append(") VALUES ");
        for (int i = 0; i < rows; i++) sql.append(i == 0 ? "" : ", ").append("(?, ?, ?, ?, ?, ?, ?, ?, ?)");
        return sql.toString();
    }

    private void bind(PreparedStatement insert, RunRecord run, List<OutcomeSpool.Row> rows) throws SQLException {
        int p = 1;
        for (OutcomeSpool.Row row : rows) {
            insert.setString(p++, project);
            insert.setString(p++, run.sync());
            insert.setLong(p++, run.runId());
            text(insert, p++, row.key());
            text(insert, p++, row.change());
            text(insert, p++, row.operation());
            insert.setString(p++, row.status());
            text(insert, p++, row.reason());
            insert.setObject(p++, utc(row.at()));
        }
    }

    private void insertRun(RunRecord run, Instant now) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO " + table(RUNS) + " (project,"
                + " sync_name, run_id, status, started_at, finished_at, added, changed, removed, unchanged, invalid,"
                + " delivered, rejected, failed, skipped, api_calls, throttles, retries, read_calls, conflicts,"
                + " message, logged_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            int p = 1;
            insert.setString(p++, project);
            insert.setString(p++, run.sync());
            insert.setLong(p++, run.runId());
            insert.setString(p++, run.status().label());
            timestamp(insert, p++, run.startedAt());
            timestamp(insert, p++, run.finishedAt());
            for (long count : new long[] {run.added(), run.changed(), run.removed(), run.unchanged(), run.invalid(),
                    run.delivered(), run.rejected(), run.failed(), run.skipped(), run.apiCalls(), run.throttles(),
                    run.retries(), run.readCalls(), run.conflicts()}) {
                insert.setLong(p++, count);
            }
            text(insert, p++, run.message());
            insert.setObject(p, utc(now));
            insert.executeUpdate();
        }
    }

    /** Retention: outcomes by when they were logged, runs by when they started (or were logged, if never). */
    private void deleteOlderThan(Instant cutoff) throws SQLException {
        try (PreparedStatement outcomes = connection.prepareStatement("DELETE FROM " + table(OUTCOMES)
                + " WHERE project = ? AND logged_at < ?");
             PreparedStatement runs = connection.prepareStatement("DELETE FROM " + table(RUNS)
                     + " WHERE project = ? AND COALESCE(started_at, logged_at) < ?")) {
            for (PreparedStatement delete : List.of(outcomes, runs)) {
                delete.setString(1, project);
                delete.setObject(2, utc(cutoff));
                delete.executeUpdate();
            }
        }
    }

    private String table(String name) {
        return schema + "." + name;
    }

    private static void text(PreparedStatement statement, int index, String value) throws SQLException {
        if (value == null) statement.setNull(index, Types.VARCHAR);
        else statement.setString(index, value);
    }

    private static void timestamp(PreparedStatement statement, int index, Instant value) throws SQLException {
        if (value == null) statement.setNull(index, Types.TIMESTAMP_WITH_TIMEZONE);
        else statement.setObject(index, utc(value));
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
