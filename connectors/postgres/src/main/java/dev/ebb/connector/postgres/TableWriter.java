package dev.ebb.connector.postgres;

import dev.ebb.spi.DestinationException;
import dev.ebb.spi.DestinationException.PermanentException;
import dev.ebb.spi.Operation;
import dev.ebb.spi.OutboundRecord;
import dev.ebb.spi.RateUsage;
import dev.ebb.spi.RecordResult;
import dev.ebb.spi.WriteBatch;
import dev.ebb.spi.WriteResult;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes one batch into one table, inside the caller's transaction, and answers every record.
 *
 * <p>The batch is checked against the table first (unknown or generated columns refuse the batch; a record with no
 * value for a NOT NULL column is rejected alone, without a statement). Then each group of records that set the same
 * columns is one statement over {@code unnest} of text arrays, whatever its size. When the server refuses a
 * statement for a row's values (a constraint, a value the column cannot take), the statement is rolled back to its
 * savepoint and the group is split in halves, again and again, inside the same transaction: the good rows are
 * written, each bad row is rejected with the server's reason, and a batch with one bad row costs about
 * 2·log2(n) statements instead of n. Every attempt has its savepoint, even the first (a statement refused without
 * one would abort the transaction, and starting another would make the call two transactions). Any other failure
 * fails the whole call. Not thread-safe: one per call.
 */
final class TableWriter {
    private final Connection connection;
    private final Table table;
    private final WriteBatch batch;
    private final Table.Column match;
    private final Map<String, RecordResult> results = new LinkedHashMap<>();

    private TableWriter(Connection connection, Table table, WriteBatch batch, Table.Column match) {
        this.connection = connection;
        this.table = table;
        this.batch = batch;
        this.match = match;
    }

    /** Writes the batch in the caller's transaction. */
    static WriteResult write(Connection connection, Table table, WriteBatch batch)
            throws SQLException, DestinationException {
        Table.Column match = table.column(batch.matchField()).orElseThrow(() -> new PermanentException(
                "table " + table.shown() + " has no column '" + batch.matchField() + "' to match on; set match: "
                        + "field: to one of its unique columns", null));
        if (batch.operation() == Operation.UPSERT && !match.unique()) {
            throw new PermanentException("upsert needs a unique constraint or primary key on " + table.shown() + "."
                    + match.name() + " (e.g. ALTER TABLE " + table.qualified() + " ADD UNIQUE (" + Sql.quote(match.name())
                    + "))", null);
        }
        TableWriter writer = new TableWriter(connection, table, batch, match);
        writer.writeAll();
        List<RecordResult> answers = new ArrayList<>(writer.results.values());
        return new WriteResult(answers, RateUsage.UNKNOWN);
    }

    private void writeAll() throws SQLException, DestinationException {
        if (batch.operation() == Operation.DELETE) {
            attempt(new Statement(List.of()), batch.records());
            return;
        }
        Map<List<String>, List<OutboundRecord>> groups = new LinkedHashMap<>();
        for (OutboundRecord record : batch.records()) {
            List<String> columns = record.fields().keySet().stream().filter(f -> !f.equals(match.name())).toList();
            groups.computeIfAbsent(columns, c -> new ArrayList<>()).add(record);
        }
        for (Map.Entry<List<String>, List<OutboundRecord>> group : groups.entrySet()) {
            List<Table.Column> columns = columns(group.getKey());
            String missing = missingRequired(columns);
            List<OutboundRecord> sendable = new ArrayList<>();
            for (OutboundRecord record : group.getValue()) {
                String problem = missing != null ? missing : nullInNotNull(record, columns);
                if (problem != null) {
                    results.put(record.key(), RecordResult.rejected(record.key(), problem));
                } else {
                    sendable.add(record);
                }
            }
            if (!sendable.isEmpty()) attempt(new Statement(columns), sendable);
        }
    }

    /** The named columns, after checking that each exists and can be written. */
    private List<Table.Column> columns(List<String> names) throws PermanentException {
        List<Table.Column> columns = new ArrayList<>();
        for (String name : names) {
            Table.Column column = table.column(name).orElseThrow(() -> new PermanentException("table "
                    + table.shown() + " has no column '" + name + "'; add it, or remove the mapping to it", null));
            if (column.readOnly()) {
                throw new PermanentException("column '" + name + "' of " + table.shown() + " is generated and "
                        + "cannot be written; remove the mapping to it", null);
            }
            columns.add(column);
        }
        return columns;
    }

    /** Why no record of a group can be inserted: a NOT NULL column without a default that it leaves out. */
    private String missingRequired(List<Table.Column> columns) {
        if (batch.operation() != Operation.UPSERT && batch.operation() != Operation.CREATE) return null;
        for (Table.Column column : table.columns()) {
            if (column.notNull() && !column.hasDefault() && column != match && !columns.contains(column)) {
                return "column '" + column.name() + "' of " + table.shown() + " is NOT NULL and has no default; "
                        + "map a model column to it, or give it a default";
            }
        }
        return null;
    }

    private static String nullInNotNull(OutboundRecord record, List<Table.Column> columns) {
        for (Table.Column column : columns) {
            if (column.notNull() && record.fields().get(column.name()) == null) {
                return "column '" + column.name() + "' is NOT NULL, and the row has no value for it";
            }
        }
        return null;
    }

    /** Runs the statement for {@code records} under a savepoint; halves them when a row's values are refused. */
    private void attempt(Statement statement, List<OutboundRecord> records) throws SQLException {
        Savepoint savepoint = connection.setSavepoint();
        Map<Integer, String> written;
        try {
            written = statement.run(records);
            connection.releaseSavepoint(savepoint);
        } catch (SQLException e) {
            if (!SqlFailures.aboutTheRow(e)) throw e;
            connection.rollback(savepoint);
            connection.releaseSavepoint(savepoint);
            refused(statement, records, e);
            return;
        }
        answer(records, written);
    }

    /** The statement was refused for a row's values: a lone row is rejected, more are halved. */
    private void refused(Statement statement, List<OutboundRecord> records, SQLException e) throws SQLException {
        if (records.size() == 1) {
            OutboundRecord record = records.getFirst();
            results.put(record.key(), RecordResult.rejected(record.key(), SqlFailures.reason(e)));
            return;
        }
        int half = records.size() / 2;
        attempt(statement, records.subList(0, half));
        attempt(statement, records.subList(half, records.size()));
    }

    /** Each record's answer after its statement went through: written, or why the statement left it out. */
    private void answer(List<OutboundRecord> records, Map<Integer, String> written) {
        for (int i = 0; i < records.size(); i++) {
            OutboundRecord record = records.get(i);
            String id = written.get(i + 1);
            results.put(record.key(), id != null || batch.operation() == Operation.DELETE
                    ? RecordResult.accepted(record.key(), id)
                    : RecordResult.rejected(record.key(), unwritten(record)));
        }
    }

    /** Why a record the statement did not return was not written. */
    private String unwritten(OutboundRecord record) {
        String row = "row with " + match.name() + " = '" + record.matchValue() + "'";
        return switch (batch.operation()) {
            case UPDATE -> "no " + row + " in " + table.shown() + " to update";
            case CREATE -> "a " + row + " already exists in " + table.shown() + " (insert never updates)";
            case UPSERT, DELETE, REPLACE -> "the " + row + " was not written (a trigger on " + table.shown()
                    + " skipped it)";
        };
    }

    /** One statement for the batch's operation over a fixed list of columns. */
    private final class Statement {
        private final List<Table.Column> columns;
        private final String sql;

        Statement(List<Table.Column> columns) {
            this.columns = columns;
            this.sql = sql();
        }

        /** Runs it for {@code records}; answers the 1-based positions written, with the rows' match values. */
        Map<Integer, String> run(List<OutboundRecord> records) throws SQLException {
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                List<String> matchValues = new ArrayList<>(records.size());
                for (OutboundRecord record : records) {
                    String value = batch.operation() == Operation.DELETE && record.destinationId() != null
                            ? record.destinationId() : record.matchValue();
                    matchValues.add(value);
                }
                statement.setArray(1, Sql.textArray(connection, matchValues));
                for (int c = 0; c < columns.size(); c++) {
                    String name = columns.get(c).name();
                    List<String> values = new ArrayList<>(records.size());
                    for (OutboundRecord record : records) values.add(Sql.text(record.fields().get(name)));
                    statement.setArray(c + 2, Sql.textArray(connection, values));
                }
                Map<Integer, String> written = new HashMap<>();
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) written.put((int) rows.getLong(1), rows.getString(2));
                }
                return written;
            }
        }

        private String sql() {
            StringBuilder arrays = new StringBuilder("CAST(? AS text[])");
            StringBuilder names = new StringBuilder("v0");
            for (int c = 1; c <= columns.size(); c++) {
                arrays.append(", CAST(? AS text[])");
                names.append(", v").append(c);
            }
            String input = "WITH u AS (SELECT * FROM unnest(" + arrays + ") WITH ORDINALITY AS x(" + names
                    + ", ord)) ";
            String t = table.qualified();
            String m = Sql.quote(match.name());
            String matched = "CAST(u.v0 AS " + match.castType() + ")";
            return switch (batch.operation()) {
                case UPSERT -> input + ", w AS (INSERT INTO " + t + " (" + insertColumns() + ") SELECT "
                        + insertValues() + " FROM u ON CONFLICT (" + m + ") DO UPDATE SET " + updates("EXCLUDED.")
                        + " RETURNING " + m + ") SELECT u.ord, CAST(w." + m + " AS text) FROM u JOIN w ON w." + m
                        + " = " + matched;
                case CREATE -> input + ", w AS (INSERT INTO " + t + " (" + insertColumns() + ") SELECT "
                        + insertValues() + " FROM u WHERE NOT EXISTS (SELECT 1 FROM " + t + " AS t WHERE t." + m
                        + " = " + matched + ") RETURNING " + m + ") SELECT u.ord, CAST(w." + m
                        + " AS text) FROM u JOIN w ON w." + m + " = " + matched;
                case UPDATE -> input + "UPDATE " + t + " AS t SET " + updates(null) + " FROM u WHERE t." + m
                        + " = " + matched + " RETURNING u.ord, CAST(t." + m + " AS text)";
                case DELETE -> input + "DELETE FROM " + t + " AS t USING u WHERE t." + m + " = " + matched
                        + " RETURNING u.ord, CAST(t." + m + " AS text)";
                case REPLACE -> throw new IllegalArgumentException("a table has no replace operation");
            };
        }

        private String insertColumns() {
            StringBuilder sql = new StringBuilder(Sql.quote(match.name()));
            for (Table.Column column : columns) sql.append(", ").append(Sql.quote(column.name()));
            return sql.toString();
        }

        private String insertValues() {
            StringBuilder sql = new StringBuilder("CAST(u.v0 AS " + match.castType() + ")");
            for (int c = 0; c < columns.size(); c++) sql.append(", ").append(value(c));
            return sql.toString();
        }

        /** {@code column = value, …}: from {@code EXCLUDED.} for an upsert, else from the input row. */
        private String updates(String excluded) {
            if (columns.isEmpty()) return Sql.quote(match.name()) + " = " + (excluded == null ? "t." : excluded)
                    + Sql.quote(match.name());
            List<String> sets = new ArrayList<>();
            for (int c = 0; c < columns.size(); c++) {
                String name = Sql.quote(columns.get(c).name());
                sets.add(name + " = " + (excluded == null ? value(c) : excluded + name));
            }
            return String.join(", ", sets);
        }

        private String value(int c) {
            return "CAST(u.v" + (c + 1) + " AS " + columns.get(c).castType() + ")";
        }
    }
}
