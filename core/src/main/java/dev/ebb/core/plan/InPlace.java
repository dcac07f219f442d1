package dev.ebb.core.plan;

import dev.ebb.core.plan.sql.Dialects;
import dev.ebb.core.plan.sql.ExtractionSql;
import dev.ebb.core.state.EncodedRows;
import dev.ebb.core.state.KeyedRows;
import dev.ebb.core.state.PlanSession;
import dev.ebb.core.state.Replan;
import dev.ebb.core.state.StateException;
import dev.ebb.spi.Column;
import dev.ebb.spi.DuckDbAttachment;
import dev.ebb.spi.SourceException;
import dev.ebb.spi.SqlEngine;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Plans a sync where its rows are, when the state store can read the source itself (a DuckDB source and the embedded
 * store, or a source that keeps its own state, {@code state: { store: warehouse }}): the model's rows are encoded by
 * {@link ExtractionSql} and diffed in one query in the store, and never cross the JVM. When the store cannot read the
 * source (a PostgreSQL or JDBC source and the embedded store), the source runs {@link ExtractionSql} itself and only the
 * encoded texts stream into the store ({@link SourceEncoded}): no value is converted or hashed in the JVM. Stateless.
 */
final class InPlace {
    /** The dialects whose {@code ExtractionSql} the tests run on a real engine (golden rows equal the JVM's). */
    private static final java.util.Set<String> RUN_IN_TESTS = java.util.Set.of(SqlEngine.DUCKDB, SqlEngine.POSTGRES);

    private InPlace() {
    }

    /**
     * Loads the session with the model's rows in the store; returns why it cannot (nothing loaded, the rows must be
     * added one by one), or empty when it did.
     */
    static Optional<String> load(BoundSync bound, PlanSession session, Replan replan)
            throws SourceException, StateException {
        Optional<SqlEngine> engine = bound.source().engine();
        if (engine.isEmpty()) return Optional.of("source '" + bound.sync().model() + "' runs no SQL of Ebb's");
        Optional<dev.ebb.core.plan.sql.Dialect> dialect = Dialects.named(engine.get().dialect());
        if (dialect.isEmpty()) return Optional.of("Ebb writes no SQL for " + engine.get().dialect());
        String model = engine.get().modelQuery(bound.model().sql());
        List<Column> columns = bound.source().describe(bound.model().sql());
        List<String> nativeTypes;
        try {
            nativeTypes = nativeTypes(engine.get(), model);
        } catch (SourceException e) {
            // A connection of Ebb's that does not see what the model's session sees (a connector that cannot lend
            // one): the JVM path runs the model in its session, and reports a real error of the model.
            return Optional.of("the model does not run on a connection of Ebb's own (" + firstLine(e.getMessage())
                    + ")");
        }
        List<ExtractionSql.ModelColumn> modelColumns = new ArrayList<>();
        for (int i = 0; i < columns.size(); i++) {
            modelColumns.add(new ExtractionSql.ModelColumn(columns.get(i).name(), columns.get(i).type(),
                    nativeTypes.get(i)));
        }
        ExtractionSql.Result sql = ExtractionSql.of(dialect.get(),
                new ExtractionSql.Shape(bound.sync().key(), bound.keyColumns(), bound.sync().match().column(),
                        bound.matchColumn(), modelColumns, bound.bindings()), model,
                bound.matching() == dev.ebb.core.state.MatchComparison.IGNORE_CASE);
        if (sql.sql().isEmpty()) return Optional.of(sql.fallback());
        return load(engine.get(), sql.sql().get(), session, replan);
    }

    /**
     * Loads the session with the rows of {@code extraction}, a query over the model of the source {@code engine}: in the
     * store, or, when the store cannot read the source, streamed from the source encoded (in two passes for a plan of
     * the changes, {@code replan}, when the source hashes rows too); returns why neither can be.
     */
    static Optional<String> load(SqlEngine engine, ExtractionSql extraction, PlanSession session, Replan replan)
            throws SourceException, StateException {
        Optional<DuckDbAttachment> attachment = engine.duckDbAttachment();
        Optional<String> refused = session.load(extraction.inPlace(attachment));
        if (refused.isEmpty() || attachment.isPresent()) return refused;
        if (!RUN_IN_TESTS.contains(engine.dialect())) {
            // Its texts become the payloads sent: a dialect whose SQL was only ever read, never run, sends nothing yet.
            return Optional.of(refused.get() + ", and Ebb's SQL for " + engine.dialect() + " is checked as text only,"
                    + " not yet run against " + engine.dialect() + " itself");
        }
        // The store cannot read this source: the source encodes the values, and only their texts come across; when it
        // hashes them too, only the keys and hashes of the rows that did not change.
        java.util.function.Function<String, Optional<String>> payload =
                store -> Dialects.named(store).map(d -> extraction.payload(d, "c"));
        if (replan == Replan.CHANGES_ONLY && extraction.passes().isPresent() && hashes(engine)) {
            Optional<KeyedRows> keyed = session.keyed(extraction.values(),
                    extraction.inPlace(Optional.empty()).matchIsKey(), payload);
            if (keyed.isPresent()) {
                SourceEncoded.passes(engine, extraction.passes().get(), extraction.fieldNames(), extraction.tags(),
                        keyed.get());
                return Optional.empty();
            }
        }
        Optional<EncodedRows> rows = session.encoded(extraction.values(), payload);
        if (rows.isEmpty()) return refused;
        SourceEncoded.stream(engine, extraction.rows(), extraction.fieldNames(), extraction.tags(), rows.get());
        return Optional.empty();
    }

    /** Whether the source computes the quick hash: PostgreSQL hashes a row of values from version 14 on. */
    private static boolean hashes(SqlEngine engine) throws SourceException {
        if (!engine.dialect().equals(SqlEngine.POSTGRES)) return true;
        try (Connection connection = engine.connect()) {
            return connection.getMetaData().getDatabaseMajorVersion() >= 14;
        } catch (SQLException e) {
            throw new SourceException(e.getMessage(), e);
        }
    }

    private static String firstLine(String message) {
        String text = message == null ? "" : message.strip();
        int end = text.indexOf('\n');
        return end < 0 ? text : text.substring(0, end);
    }

    private static List<String> nativeTypes(SqlEngine engine, String model) throws SourceException {
        try (Connection connection = engine.connect(); Statement st = connection.createStatement();
             ResultSet rows = st.executeQuery("SELECT * FROM (" + model + ") AS m LIMIT 0")) {
            ResultSetMetaData metadata = rows.getMetaData();
            List<String> types = new ArrayList<>();
            for (int i = 1; i <= metadata.getColumnCount(); i++) types.add(metadata.getColumnTypeName(i));
            return types;
        } catch (SQLException e) {
            throw new SourceException(e.getMessage(), e);
        }
    }
}
