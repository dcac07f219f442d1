package dev.ebb.core.state.duckdb;

import dev.ebb.core.state.Change;
import dev.ebb.core.state.EncodedRows;
import dev.ebb.core.state.InPlaceRows;
import dev.ebb.core.state.InvalidRow;
import dev.ebb.core.state.MatchComparison;
import dev.ebb.core.state.PlanCounts;
import dev.ebb.core.state.PlanSession;
import dev.ebb.core.state.PlannedRow;
import dev.ebb.core.state.Replan;
import dev.ebb.core.state.RowCursor;
import dev.ebb.core.state.StateException;
import dev.ebb.core.state.sql.PlanSql;
import dev.ebb.core.state.sql.ResultCursor;
import dev.ebb.core.state.sql.StateRows;
import dev.ebb.spi.SqlEngine;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.duckdb.DuckDBAppender;

/**
 * A plan in DuckDB: the model's rows are appended (DuckDB's appender) into a temporary table {@code cur} of a
 * connection of its own; the diff against the snapshot is one statement that leaves the plan in a temporary table
 * {@code plan}. DuckDB runs it vectorised, on every core, spilling to disk when it must.
 */
final class DuckDbPlanSession implements PlanSession {
    /** Names the source's attachment apart from another plan's at the same time. */
    private static final AtomicLong ATTACHMENTS = new AtomicLong();

    private final String sync;
    private final DuckDb db;
    private final Connection scratch;
    private DuckDBAppender appender;
    /** Whether the rows in {@code cur} that share a key or match value are marked invalid yet. */
    private boolean marked;
    /** Whether the match value of a row in {@code cur} is its key's text. */
    private boolean matchIsKey;
    /** The payload of a row of {@code cur} aliased {@code c}. */
    private String payload = "c.payload";
    /** Whether the store may keep the fingerprints this plan computes (it is open for writing). */
    private final boolean remember;
    /** Whether {@code cur} was loaded with fingerprints known from the store's {@code fingerprints}. */
    private boolean remembering;

    /** @param remember whether the store is open for writing, and keeps the fingerprints its plans compute */
    DuckDbPlanSession(DuckDb db, String sync, boolean remember) throws StateException {
        this.sync = sync;
        this.db = db;
        this.remember = remember;
        try {
            this.scratch = db.connect();
        } catch (SQLException e) {
            throw DuckDb.failed(e);
        }
        try {
            try (Statement st = scratch.createStatement()) {
                st.execute("CREATE TEMP TABLE cur(key VARCHAR, fp VARCHAR, match VARCHAR, payload VARCHAR, "
                        + "invalid VARCHAR)");
            }
            appender = ((org.duckdb.DuckDBConnection) scratch).createAppender("temp", "main", "cur");
        } catch (SQLException e) {
            close();
            throw DuckDb.failed(e);
        }
    }

    @Override
    public void add(String key, String fingerprint, String matchValue, String payload, String invalid)
            throws StateException {
        try {
            appender.beginRow();
            appender.append(key);
            appender.append(fingerprint);
            appender.append(matchValue);
            appender.append(payload);
            appender.append(invalid);
            appender.endRow();
        } catch (SQLException e) {
            throw DuckDb.failed(e);
        }
    }

    /**
     * Loads {@code cur} with one query in the store: the source attached read-only (a database file) and its file views
     * recreated on this connection, under the source's lockdown (see {@link DuckDb#admit}); then detached.
     */
    @Override
    public Optional<String> load(InPlaceRows rows) throws StateException {
        try {
            if (rows.source().isEmpty()) return Optional.of("the embedded state store reads DuckDB sources only");
            dev.ebb.spi.DuckDbAttachment source = rows.source().get();
            Optional<String> refused = db.admit(source);
            if (refused.isPresent()) return refused;
            appender.close();
            appender = null;
            String alias = "ebb_source_" + ATTACHMENTS.incrementAndGet();
            try (Statement st = scratch.createStatement()) {
                st.execute("DROP TABLE cur");
                String store;
                try (ResultSet rs = st.executeQuery("SELECT current_database()")) {
                    rs.next();
                    store = rs.getString(1);
                }
                st.execute("SET file_search_path = " + literal(source.fileSearchPath()));
                for (Map.Entry<String, java.nio.file.Path> view : source.views().entrySet()) {
                    st.execute("CREATE TEMPORARY VIEW " + identifier(view.getKey()) + " AS SELECT * FROM "
                            + DuckDb.literal(view.getValue()));
                }
                // A source of files gets an empty catalog of its own: its models must not see the store's tables.
                st.execute("ATTACH " + source.database().map(DuckDb::literal).orElse("':memory:'") + " AS "
                        + alias + (source.database().isPresent() ? " (READ_ONLY)" : ""));
                String query = rows.query();
                if (rows.remembering().isPresent() && hasFingerprints(st, store)) {
                    query = rows.remembering().get().apply("(SELECT key, quick, fp FROM " + identifier(store)
                            + ".main.fingerprints WHERE sync = " + literal(sync) + ")");
                    remembering = true;
                }
                st.execute("USE " + alias);
                try {
                    st.execute("CREATE TEMP TABLE cur AS " + query);
                } finally {
                    // A failed statement is closed by the driver: the way back takes a statement of its own.
                    try (Statement back = scratch.createStatement()) {
                        back.execute("USE " + identifier(store));
                        back.execute("DETACH " + alias);
                    }
                }
            }
            marked = rows.marked();
            matchIsKey = rows.matchIsKey();
            payload = rows.payload();
            return Optional.empty();
        } catch (SQLException e) {
            throw DuckDb.failed(e);
        }
    }

    /**
     * Rows the source encoded, appended into a {@code cur} of their shape ({@code key, fp, match, invalid, v_0 …});
     * the diff marks duplicates as for rows added one by one. Payloads are written from the texts, in DuckDB, for the
     * planned rows only.
     */
    @Override
    public Optional<EncodedRows> encoded(int values, Function<String, Optional<String>> payloadIn)
            throws StateException {
        Optional<String> written = payloadIn.apply(SqlEngine.DUCKDB);
        if (written.isEmpty()) return Optional.empty();
        StringBuilder columns = new StringBuilder("key VARCHAR, fp VARCHAR, match VARCHAR, invalid VARCHAR");
        for (int i = 0; i < values; i++) columns.append(", v_").append(i).append(" VARCHAR");
        try {
            appender.close();
            appender = null;
            try (Statement st = scratch.createStatement()) {
                st.execute("DROP TABLE cur");
                st.execute("CREATE TEMP TABLE cur(" + columns + ")");
            }
            DuckDBAppender rows = ((org.duckdb.DuckDBConnection) scratch).createAppender("temp", "main", "cur");
            appender = rows;
            payload = written.get();
            return Optional.of((key, fingerprint, match, invalid, texts) -> {
                try {
                    rows.beginRow();
                    rows.append(key);
                    rows.append(fingerprint);
                    rows.append(match);
                    rows.append(invalid);
                    for (String text : texts) rows.append(text);
                    rows.endRow();
                } catch (SQLException e) {
                    throw DuckDb.failed(e);
                }
            });
        } catch (SQLException e) {
            throw DuckDb.failed(e);
        }
    }

    /** Whether the store's file has the table of fingerprints (a file written by an older Ebb, opened read-only, not). */
    private static boolean hasFingerprints(Statement st, String store) throws SQLException {
        try (ResultSet rs = st.executeQuery("SELECT count(*) FROM duckdb_tables() WHERE database_name = "
                + literal(store) + " AND schema_name = 'main' AND table_name = 'fingerprints'")) {
            rs.next();
            return rs.getLong(1) > 0;
        }
    }

    private static String literal(String text) {
        return "'" + text.replace("'", "''") + "'";
    }

    private static String identifier(String name) {
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }

    @Override
    public PlanCounts invalidate(Map<String, String> reasons) throws StateException {
        if (reasons.isEmpty()) {
            try {
                return StateRows.planCounts(scratch);
            } catch (SQLException e) {
                throw DuckDb.failed(e);
            }
        }
        try (Statement st = scratch.createStatement()) {
            st.execute("CREATE OR REPLACE TEMP TABLE problems(key VARCHAR, reason VARCHAR)");
            try (DuckDBAppender rows = ((org.duckdb.DuckDBConnection) scratch).createAppender("temp", "main",
                    "problems")) {
                for (Map.Entry<String, String> problem : reasons.entrySet()) {
                    rows.beginRow();
                    rows.append(problem.getKey());
                    rows.append(problem.getValue());
                    rows.endRow();
                }
            }
            st.execute("UPDATE cur SET invalid = p.reason, fp = NULL FROM problems p WHERE cur.key = p.key");
            st.execute("DELETE FROM plan WHERE change <> 'removed' AND key IN (SELECT key FROM problems)");
            return StateRows.planCounts(scratch);
        } catch (SQLException e) {
            throw DuckDb.failed(e);
        }
    }

    @Override
    public PlanCounts diff(Replan replan, MatchComparison matching) throws StateException {
        try {
            if (appender != null) {
                appender.close();
                appender = null;
            }
            if (!marked) {
                PlanSql.markDuplicates(scratch, "cur", matching == MatchComparison.IGNORE_CASE, matchIsKey);
            }
            createPlan(replan, matching);
            if (remembering && remember) PlanSql.remember(scratch, "cur", "plan", "fingerprints", sync);
            return StateRows.planCounts(scratch);
        } catch (SQLException e) {
            throw DuckDb.failed(e);
        }
    }

    /** The plan (see {@link PlanSql#plan}) in a temporary table {@code plan}. */
    private void createPlan(Replan replan, MatchComparison matching) throws SQLException {
        PlanSql.Tables tables = new PlanSql.Tables("cur", DuckDbSnapshots.CURRENT_SNAPSHOT, DuckDbSnapshots.IN_FLIGHT,
                "left_field_hashes", "$1");
        try (PreparedStatement ps = scratch.prepareStatement("CREATE TEMP TABLE plan AS "
                + PlanSql.plan(tables, payload, replan == Replan.EVERY_ROW))) {
            ps.setString(1, sync);
            ps.execute();
        }
        PlanSql.rematch(scratch, "plan", "cur", matching == MatchComparison.IGNORE_CASE);
    }

    @Override
    public RowCursor<InvalidRow> invalid() throws StateException {
        return cursor("SELECT key, invalid FROM cur WHERE invalid IS NOT NULL",
                rs -> new InvalidRow(rs.getString(1), rs.getString(2)));
    }

    @Override
    public RowCursor<PlannedRow> planned() throws StateException {
        return cursor("SELECT " + StateRows.PLANNED_COLUMNS
                + " FROM plan ORDER BY CASE change WHEN 'removed' THEN 1 ELSE 0 END, key", StateRows::planned);
    }

    @Override
    public List<PlannedRow> samples(Change change, int limit) throws StateException {
        try (PreparedStatement ps = scratch.prepareStatement("SELECT " + StateRows.PLANNED_COLUMNS
                + " FROM plan WHERE change = ? ORDER BY key LIMIT ?")) {
            ps.setString(1, change.name().toLowerCase(Locale.ROOT));
            ps.setInt(2, limit);
            List<PlannedRow> rows = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) rows.add(StateRows.planned(rs));
            }
            return rows;
        } catch (SQLException e) {
            throw DuckDb.failed(e);
        }
    }

    @Override
    public String identity() throws StateException {
        try (Statement st = scratch.createStatement(); ResultSet rs = st.executeQuery("""
                SELECT count(*), coalesce(bit_xor(hash(key || chr(31) || change || chr(31) || coalesce(fp, ''))), 0)
                FROM plan""")) {
            rs.next();
            return rs.getLong(1) + ":" + Long.toHexString(rs.getLong(2));
        } catch (SQLException e) {
            throw DuckDb.failed(e);
        }
    }

    @Override
    public void close() throws StateException {
        try {
            if (appender != null) appender.close();
            scratch.close();
        } catch (SQLException e) {
            throw DuckDb.failed(e);
        }
    }

    /** A query's rows on the session's connection. */
    private <T> RowCursor<T> cursor(String sql, ResultCursor.RowReader<T> reader) throws StateException {
        try {
            Statement statement = scratch.createStatement();
            return new ResultCursor<>(statement, sql, reader, DuckDb::failed);
        } catch (SQLException e) {
            throw DuckDb.failed(e);
        }
    }
}
