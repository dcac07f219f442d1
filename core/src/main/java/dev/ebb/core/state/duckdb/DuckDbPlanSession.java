package dev.ebb.core.state.duckdb;

import dev.ebb.core.state.Change;
import dev.ebb.core.state.EncodedRows;
import dev.ebb.core.state.KeyedRows;
import dev.ebb.core.state.InPlaceRows;
import dev.ebb.core.state.InvalidRow;
import dev.ebb.core.state.MatchComparison;
import dev.ebb.core.state.PlanCounts;
import dev.ebb.core.state.PlanSession;
import dev.ebb.core.state.PlannedRow;
import dev.ebb.core.state.Replan;
import dev.ebb.core.state.RowCursor;
import dev.ebb.core.state.StateException;
import dev.ebb.core.state.sql.InPlacePlanSql;
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
 * A plan in DuckDB, on a connection of its own. A DuckDB source is attached and its model planned where it is
 * ({@link #load}, {@link InPlacePlanSql}: a full outer join with the snapshot is the diff, and the rows that cannot
 * be sent are marked from it; the model is never copied). Rows from elsewhere are appended (DuckDB's appender) into a
 * temporary table {@code ebb_cur}, and one statement diffs it. Either way the plan is left in a temporary table
 * {@code ebb_plan}. DuckDB runs it vectorised, on every core, spilling to disk when it must.
 */
final class DuckDbPlanSession implements PlanSession {
    /** Names the source's attachment apart from another plan's at the same time. */
    private static final AtomicLong ATTACHMENTS = new AtomicLong();

    private final String sync;
    private final DuckDb db;
    private final Connection scratch;
    private DuckDBAppender appender;
    /** The payload of a row of {@code ebb_cur} aliased {@code c}. */
    private String payload = "c.payload";
    /** Whether the store may keep the quick hashes this plan computes (it is open for writing). */
    private final boolean remember;
    /** The rows planned where they are ({@link #load}, {@link #keyed}), or null when added into {@code ebb_cur}. */
    private InPlaceRows inPlace;
    /** The two passes of rows the source encoded and hashed ({@link #keyed}), or null. */
    private DuckDbKeyedRows keyed;
    /** Of a plan where the rows are: its tables, the source's attachment and the store's database. */
    private InPlacePlanSql.Tables tables;
    private String alias;
    private String store;

    /** @param remember whether the store is open for writing, and keeps the quick hashes its plans compute */
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
                st.execute("CREATE TEMP TABLE ebb_cur(key VARCHAR, fp VARCHAR, match VARCHAR, payload VARCHAR, "
                        + "invalid VARCHAR)");
            }
            appender = ((org.duckdb.DuckDBConnection) scratch).createAppender("temp", "main", "ebb_cur");
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
     * Plans the rows where they are: the source attached read-only (a database file) and its file views recreated on
     * this connection, under the source's lockdown (see {@link DuckDb#admit}), until the session closes. The model runs
     * with the source as the default database, so that its names are the source's; the store's tables are named with
     * the store's database. A model that cannot run is told now.
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
            alias = "ebb_source_" + ATTACHMENTS.incrementAndGet();
            try (Statement st = scratch.createStatement()) {
                st.execute("DROP TABLE ebb_cur");
                tables = tables(st);
                st.execute("SET file_search_path = " + literal(source.fileSearchPath()));
                for (Map.Entry<String, java.nio.file.Path> view : source.views().entrySet()) {
                    st.execute("CREATE TEMPORARY VIEW " + identifier(view.getKey()) + " AS SELECT * FROM "
                            + DuckDb.literal(view.getValue()));
                }
                // A source of files gets an empty catalog of its own: its models must not see the store's tables.
                st.execute("ATTACH " + source.database().map(DuckDb::literal).orElse("':memory:'") + " AS "
                        + alias + (source.database().isPresent() ? " (READ_ONLY)" : ""));
                inPlace = rows;
                inSource(() -> {
                    try (Statement probe = scratch.createStatement()) {
                        probe.executeQuery("SELECT * FROM (" + rows.rows() + ") AS r LIMIT 0").close();
                    }
                });
            }
            return Optional.empty();
        } catch (SQLException e) {
            throw DuckDb.failed(e);
        }
    }

    /** The tables of a plan of rows where they are, the store's named with its database ({@link #store}, set). */
    private InPlacePlanSql.Tables tables(Statement st) throws SQLException {
        try (ResultSet rs = st.executeQuery("SELECT current_database()")) {
            rs.next();
            store = rs.getString(1);
        }
        boolean quick;
        try (ResultSet rs = st.executeQuery("SELECT count(*) FROM duckdb_columns() WHERE database_name = "
                + literal(store) + " AND schema_name = 'main' AND table_name = 'snapshot'"
                + " AND column_name = 'quick'")) {
            rs.next();
            quick = rs.getLong(1) > 0;
        }
        String prefix = identifier(store) + ".main.";
        return new InPlacePlanSql.Tables("ebb_bad", "ebb_plan", "ebb_keys", DuckDbSnapshots.currentSnapshot(prefix,
                quick), DuckDbSnapshots.inFlight(prefix), prefix + "left_field_hashes", "$1", "");
    }

        @FunctionalInterface
    private interface Work {
        void run() throws SQLException;
    }

    /**
     * Runs {@code work} with the source as the default database, the model's names being the source's; as it is when
     * no source is attached ({@link #keyed}).
     */
    private void inSource(Work work) throws SQLException {
        if (alias == null) {
            work.run();
            return;
        }
        try (Statement st = scratch.createStatement()) {
            st.execute("USE " + alias);
        }
        try {
            work.run();
        } finally {
            // A failed statement is closed by the driver: the way back takes a statement of its own.
            try (Statement back = scratch.createStatement()) {
                back.execute("USE " + identifier(store));
            }
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
                st.execute("DROP TABLE ebb_cur");
                st.execute("CREATE TEMP TABLE ebb_cur(" + columns + ")");
            }
            DuckDBAppender rows = ((org.duckdb.DuckDBConnection) scratch).createAppender("temp", "main", "ebb_cur");
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

    /**
     * Rows the source encoded and hashed, in two passes ({@link DuckDbKeyedRows}): the plan then reads them where they
     * are, as it reads an attached source's rows, but that the first step of its diff ran between the passes.
     */
    @Override
    public Optional<KeyedRows> keyed(int values, boolean matchIsKey, Function<String, Optional<String>> payloadIn)
            throws StateException {
        Optional<String> written = payloadIn.apply(SqlEngine.DUCKDB);
        if (written.isEmpty()) return Optional.empty();
        try {
            appender.close();
            appender = null;
            try (Statement st = scratch.createStatement()) {
                st.execute("DROP TABLE ebb_cur");
                tables = tables(st);
            }
            keyed = DuckDbKeyedRows.open(scratch, tables, sync, values, matchIsKey, written.get());
            inPlace = keyed.rows();
            return Optional.of(keyed);
        } catch (SQLException e) {
            throw DuckDb.failed(e);
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
        try (Statement st = scratch.createStatement()) {
            if (!reasons.isEmpty()) {
                st.execute("CREATE OR REPLACE TEMP TABLE ebb_problems(key VARCHAR, reason VARCHAR)");
                try (DuckDBAppender rows = ((org.duckdb.DuckDBConnection) scratch).createAppender("temp", "main",
                        "ebb_problems")) {
                    for (Map.Entry<String, String> problem : reasons.entrySet()) {
                        rows.beginRow();
                        rows.append(problem.getKey());
                        rows.append(problem.getValue());
                        rows.endRow();
                    }
                }
                if (inPlace != null) {
                    InPlacePlanSql.invalidate(scratch, tables, "ebb_problems");
                } else {
                    PlanSql.invalidate(scratch, "ebb_cur", "ebb_plan", "ebb_problems");
                }
            }
            return counts();
        } catch (SQLException e) {
            throw DuckDb.failed(e);
        }
    }

    private PlanCounts counts() throws SQLException {
        return inPlace != null ? InPlacePlanSql.counts(scratch, tables)
                : StateRows.planCounts(scratch, "ebb_cur", "ebb_plan");
    }

    @Override
    public PlanCounts diff(Replan replan, MatchComparison matching) throws StateException {
        boolean caseBlind = matching == MatchComparison.IGNORE_CASE;
        try {
            if (appender != null) {
                appender.close();
                appender = null;
            }
            if (keyed != null) {
                if (replan == Replan.EVERY_ROW) {
                    throw new IllegalStateException("a plan of every row takes its rows in one pass, not keyed");
                }
                keyed.finish();
                InPlacePlanSql.joinMarked(scratch, tables, inPlace, false, caseBlind, sync);
            } else if (inPlace != null) {
                inSource(() -> InPlacePlanSql.planMarked(scratch, tables, inPlace, replan == Replan.EVERY_ROW,
                        caseBlind, sync));
            }
            if (inPlace != null) {
                InPlacePlanSql.settle(scratch, tables, remember ? Optional.of(identifier(store) + ".main.snapshot")
                        : Optional.empty(), sync);
                inSource(() -> InPlacePlanSql.rematch(scratch, tables, inPlace, caseBlind));
                return counts();
            }
            PlanSql.markDuplicates(scratch, "ebb_cur", caseBlind);
            PlanSql.Tables cur = new PlanSql.Tables("ebb_cur", DuckDbSnapshots.CURRENT_SNAPSHOT,
                    DuckDbSnapshots.IN_FLIGHT, "left_field_hashes", "$1");
            try (PreparedStatement ps = scratch.prepareStatement("CREATE TEMP TABLE ebb_plan AS "
                    + PlanSql.plan(cur, payload, replan == Replan.EVERY_ROW))) {
                ps.setString(1, sync);
                ps.execute();
            }
            PlanSql.rematch(scratch, "ebb_plan", "ebb_cur", caseBlind);
            return counts();
        } catch (SQLException e) {
            throw DuckDb.failed(e);
        }
    }

    @Override
    public RowCursor<InvalidRow> invalid() throws StateException {
        if (inPlace != null) return InPlacePlanSql.each(cursor(InPlacePlanSql.invalidRows(tables),
                InPlacePlanSql.Counted::read));
        return cursor("SELECT key, invalid FROM ebb_cur WHERE invalid IS NOT NULL",
                rs -> new InvalidRow(rs.getString(1), rs.getString(2)));
    }

    @Override
    public RowCursor<PlannedRow> planned() throws StateException {
        return cursor("SELECT " + StateRows.PLANNED_COLUMNS
                + " FROM ebb_plan ORDER BY CASE change WHEN 'removed' THEN 1 ELSE 0 END, key", StateRows::planned);
    }

    @Override
    public List<PlannedRow> samples(Change change, int limit) throws StateException {
        try (PreparedStatement ps = scratch.prepareStatement("SELECT " + StateRows.PLANNED_COLUMNS
                + " FROM ebb_plan WHERE change = ? ORDER BY key LIMIT ?")) {
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
                FROM ebb_plan""")) {
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
            if (alias != null) {
                try (Statement st = scratch.createStatement()) {
                    st.execute("USE " + identifier(store));
                    st.execute("DETACH DATABASE IF EXISTS " + alias);
                } finally {
                    scratch.close();
                }
            }
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
