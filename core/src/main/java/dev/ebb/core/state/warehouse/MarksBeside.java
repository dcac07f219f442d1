package dev.ebb.core.state.warehouse;

import dev.ebb.core.state.InPlaceRows;
import dev.ebb.core.state.sql.InPlacePlanSql;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.regex.Pattern;

/**
 * The marks of a PostgreSQL plan of rows where they are ({@link InPlacePlanSql#markKeys}: the aggregate over the model
 * that finds the keys that cannot be sent), made on a second connection while the plan's own connection runs the diff.
 * PostgreSQL runs each of the two statements on one core (a full outer hash join is never parallel before version
 * 16), and neither needs the other's result: side by side, the plan takes as long as the longer of them. The second
 * connection reads the model as of the plan's transaction ({@code pg_export_snapshot}), so both see the same rows;
 * its marks, a row or a few unless many rows are invalid, are then streamed into the plan's connection.
 */
final class MarksBeside implements AutoCloseable {
    /** Rows fetched per round trip when copying the marks. */
    private static final int FETCH = 1000;
    /** What PostgreSQL's snapshot identifiers look like ({@code 00000003-0000001B-1}). */
    private static final Pattern SNAPSHOT = Pattern.compile("[0-9A-Fa-f-]+");

    private final Connection marks;
    /** The statement that marks, cancelled when the plan fails before it ends. */
    private final Statement statement;
    private final InPlacePlanSql.Tables tables;
    private final FutureTask<Void> marking;

    private MarksBeside(Connection marks, Statement statement, InPlacePlanSql.Tables tables,
                        FutureTask<Void> marking) {
        this.marks = marks;
        this.statement = statement;
        this.tables = tables;
        this.marking = marking;
    }

    /**
     * Starts marking {@code rows} on a new connection of {@code engine}, as of the snapshot of {@code plan}'s
     * transaction (repeatable read, and begun).
     */
    static MarksBeside start(WarehouseEngine engine, Connection plan, InPlacePlanSql.Tables tables, InPlaceRows rows)
            throws SQLException {
        String snapshot;
        try (Statement st = plan.createStatement(); ResultSet rs = st.executeQuery("SELECT pg_export_snapshot()")) {
            rs.next();
            snapshot = rs.getString(1);
        }
        if (!SNAPSHOT.matcher(snapshot).matches()) {
            throw new SQLException("PostgreSQL exported a snapshot named " + snapshot + ", which Ebb cannot import");
        }
        Connection marks = engine.connect();
        try {
            marks.setAutoCommit(false);
            marks.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            try (Statement st = marks.createStatement()) {
                st.execute("SET TRANSACTION SNAPSHOT '" + snapshot + "'");
            }
            Statement statement = marks.createStatement();
            FutureTask<Void> marking = new FutureTask<>(() -> {
                try (statement) {
                    statement.execute(InPlacePlanSql.markKeys(tables, rows));
                }
                return null;
            });
            Thread.ofPlatform().name("ebb-plan-marks").daemon().start(marking);
            return new MarksBeside(marks, statement, tables, marking);
        } catch (SQLException | RuntimeException e) {
            marks.close();
            throw e;
        }
    }

    /** Waits for the marks, then copies them into {@code plan}'s table {@code bad}, which it creates. */
    void finish(Connection plan) throws SQLException {
        awaitMarks();
        try (Statement st = plan.createStatement()) {
            st.execute("CREATE TEMPORARY TABLE " + tables.bad() + "(key VARCHAR, invalid VARCHAR, n BIGINT,"
                    + " whole INTEGER)");
        }
        try (Statement read = marks.createStatement(ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY);
             RowInserter copy = new RowInserter(plan, tables.bad(), 4)) {
            read.setFetchSize(FETCH);
            try (ResultSet rs = read.executeQuery("SELECT key, invalid, n, whole FROM " + tables.bad())) {
                while (rs.next()) copy.add(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getInt(4));
            }
        }
    }

    private void awaitMarks() throws SQLException {
        try {
            marking.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("interrupted while the model's rows were marked", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof SQLException failure) throw failure;
            if (e.getCause() instanceof RuntimeException failure) throw failure;
            throw new SQLException(e.getCause());
        }
    }

    /**
     * Ends the second connection, once its marks are made, failed, or (when the plan failed before it needed them)
     * cancelled: its temporary table goes with it.
     */
    @Override
    public void close() throws SQLException {
        try {
            if (!marking.isDone()) {
                try {
                    statement.cancel();
                } catch (SQLException ended) {
                    // it ended as it was cancelled
                }
            }
            awaitMarks();
        } catch (SQLException | RuntimeException ignored) {
            // finish() reported it, or the diff failed first and is what the caller reports
        } finally {
            try {
                marks.rollback();
            } finally {
                marks.close();
            }
        }
    }
}
