package dev.ebb.core.state.duckdb;

import dev.ebb.core.state.InPlaceRows;
import dev.ebb.core.state.KeyedRows;
import dev.ebb.core.state.StateException;
import dev.ebb.core.state.sql.InPlacePlanSql;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.duckdb.DuckDBAppender;

/**
 * The two passes of a plan of rows the source encoded and hashed ({@link KeyedRows}), in a plan session's DuckDB:
 * every row's key, match value, reason and quick hash appended into {@code ebb_src}; the keys whose quick hash differs
 * from the snapshot's found there ({@link InPlacePlanSql#differing}); those keys' encoded rows appended into
 * {@code ebb_cur}. The plan then reads both where they are, as the rows of an attached source are read
 * ({@link #rows}): the model is {@code ebb_src}, the values of the rows that differ are in {@code ebb_cur}.
 */
final class DuckDbKeyedRows implements KeyedRows {
    private final Connection scratch;
    private final InPlacePlanSql.Tables tables;
    private final InPlaceRows rows;
    private final String sync;
    private final int values;
    private DuckDBAppender appender;

    private DuckDbKeyedRows(Connection scratch, InPlacePlanSql.Tables tables, InPlaceRows rows, String sync,
                            int values, DuckDBAppender appender) {
        this.scratch = scratch;
        this.tables = tables;
        this.rows = rows;
        this.sync = sync;
        this.values = values;
        this.appender = appender;
    }

    /**
     * Creates {@code ebb_src} on {@code scratch} and takes the first pass's rows into it.
     *
     * @param payload the payload of a row of {@code ebb_cur} aliased {@code c}, in DuckDB's SQL
     */
    static DuckDbKeyedRows open(Connection scratch, InPlacePlanSql.Tables tables, String sync, int values,
                                boolean matchIsKey, String payload) throws SQLException {
        try (Statement st = scratch.createStatement()) {
            st.execute("CREATE TEMP TABLE ebb_src(key VARCHAR, match VARCHAR, invalid VARCHAR, quick BIGINT)");
        }
        StringBuilder detail = new StringBuilder("SELECT key, match, invalid, quick, text_fp");
        for (int i = 0; i < values; i++) detail.append(", v_").append(i);
        InPlaceRows rows = new InPlaceRows(Optional.empty(), "SELECT m.key AS key, m.match AS match,"
                + " m.invalid AS invalid, m.quick AS quick", Optional.empty(), "SELECT * FROM ebb_src", "m.key", "",
                Optional.of(detail + " FROM ebb_cur"), "c.text_fp", payload, matchIsKey);
        return new DuckDbKeyedRows(scratch, tables, rows, sync, values,
                ((org.duckdb.DuckDBConnection) scratch).createAppender("temp", "main", "ebb_src"));
    }

    /** The rows as the plan reads them where they are. */
    InPlaceRows rows() {
        return rows;
    }

    @Override
    public void key(String key, String match, String invalid, long quick) throws StateException {
        try {
            appender.beginRow();
            appender.append(key);
            appender.append(match);
            appender.append(invalid);
            appender.append(quick);
            appender.endRow();
        } catch (SQLException e) {
            throw DuckDb.failed(e);
        }
    }

    @Override
    public Optional<List<String>> wanted() throws StateException {
        try {
            appender.close();
            InPlacePlanSql.differing(scratch, tables, rows, sync);
            StringBuilder columns = new StringBuilder("key VARCHAR, text_fp VARCHAR, match VARCHAR, invalid VARCHAR,"
                    + " quick BIGINT");
            for (int i = 0; i < values; i++) columns.append(", v_").append(i).append(" VARCHAR");
            Optional<List<String>> wanted;
            try (Statement st = scratch.createStatement()) {
                st.execute("CREATE TEMP TABLE ebb_cur(" + columns + ")");
                // The second pass names the differing keys, or reads every row's when many differ.
                if (!InPlacePlanSql.fewKeysDiffer(scratch, tables)) {
                    wanted = Optional.empty();
                } else {
                    List<String> keys = new ArrayList<>();
                    try (ResultSet rs = st.executeQuery("SELECT key FROM " + tables.keys()
                            + " WHERE key IS NOT NULL")) {
                        while (rs.next()) keys.add(rs.getString(1));
                    }
                    wanted = Optional.of(keys);
                }
            }
            appender = ((org.duckdb.DuckDBConnection) scratch).createAppender("temp", "main", "ebb_cur");
            return wanted;
        } catch (SQLException e) {
            throw DuckDb.failed(e);
        }
    }

    @Override
    public void add(String key, String fingerprint, String match, String invalid, long quick, String[] texts)
            throws StateException {
        try {
            appender.beginRow();
            appender.append(key);
            appender.append(fingerprint);
            appender.append(match);
            appender.append(invalid);
            appender.append(quick);
            for (String text : texts) appender.append(text);
            appender.endRow();
        } catch (SQLException e) {
            throw DuckDb.failed(e);
        }
    }

    /** Ends the second pass, before the plan reads its rows. */
    void finish() throws SQLException {
        appender.close();
    }
}
