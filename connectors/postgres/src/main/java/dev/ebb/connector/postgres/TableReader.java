package dev.ebb.connector.postgres;

import dev.ebb.spi.DestinationException;
import dev.ebb.spi.DestinationException.PermanentException;
import dev.ebb.spi.RemoteRecord;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads rows back by their match values, in one statement, with each field's value as the runtime converts it:
 * numbers as {@link BigDecimal}, booleans, dates as {@link LocalDate}, timestamps as instants (a timestamp without
 * time zone read as UTC), everything else as text.
 */
final class TableReader {
    private TableReader() {
    }

    static List<RemoteRecord> read(Connection connection, Table table, String matchField,
                                   Collection<String> matchValues, Collection<String> fields)
            throws SQLException, DestinationException {
        Table.Column match = column(table, matchField);
        List<Table.Column> columns = new ArrayList<>();
        for (String field : fields) columns.add(column(table, field));
        StringBuilder sql = new StringBuilder("SELECT x.v, CAST(t." + Sql.quote(match.name()) + " AS text)");
        for (Table.Column column : columns) sql.append(", t.").append(Sql.quote(column.name()));
        sql.append(" FROM ").append(table.qualified()).append(" AS t JOIN unnest(CAST(? AS text[])) AS x(v) ON t.")
                .append(Sql.quote(match.name())).append(" = CAST(x.v AS ").append(match.castType()).append(")");
        List<RemoteRecord> records = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement(sql.toString())) {
            statement.setArray(1, Sql.textArray(connection, List.copyOf(matchValues)));
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    Map<String, Object> values = new LinkedHashMap<>();
                    for (int c = 0; c < columns.size(); c++) values.put(columns.get(c).name(), value(rows, c + 3,
                            columns.get(c)));
                    records.add(new RemoteRecord(rows.getString(1), rows.getString(2), values));
                }
            }
        }
        return records;
    }

    private static Table.Column column(Table table, String name) throws PermanentException {
        return table.column(name).orElseThrow(() -> new PermanentException("table " + table.shown()
                + " has no column '" + name + "'", null));
    }

    private static Object value(ResultSet rows, int index, Table.Column column) throws SQLException {
        return switch (column.type()) {
            case NUMBER -> {
                String text = rows.getString(index);
                if (text == null) yield null;
                try {
                    yield new BigDecimal(text);
                } catch (NumberFormatException e) {
                    yield text; // NaN, Infinity, money's currency form
                }
            }
            case BOOLEAN -> rows.getObject(index, Boolean.class);
            case DATE -> rows.getObject(index, LocalDate.class);
            case DATETIME -> column.castType().equals("timestamp with time zone")
                    ? instant(rows.getObject(index, OffsetDateTime.class))
                    : instant(rows.getObject(index, LocalDateTime.class));
            case STRING, ENUMERATION -> rows.getString(index);
        };
    }

    private static Object instant(OffsetDateTime value) {
        return value == null ? null : value.toInstant();
    }

    private static Object instant(LocalDateTime value) {
        return value == null ? null : value.toInstant(ZoneOffset.UTC);
    }
}
