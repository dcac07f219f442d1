package dev.ebb.connector.postgres;

import dev.ebb.spi.DestinationException;
import dev.ebb.spi.DestinationException.PermanentException;
import dev.ebb.spi.FieldType;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads a table's columns from {@code pg_catalog}: names, types (a domain as its base type), enum labels, NOT NULL,
 * defaults, generated and identity columns, and which columns a unique constraint or primary key covers alone.
 */
final class Catalog {
    private static final String COLUMNS = """
            SELECT a.attname,
                   format_type(a.atttypid, NULL) AS cast_type,
                   b.typname, b.typtype, b.typcategory,
                   (SELECT array_agg(e.enumlabel::text ORDER BY e.enumsortorder) FROM pg_enum e
                     WHERE e.enumtypid = b.oid) AS labels,
                   a.attnotnull, a.atthasdef OR a.attidentity <> '' OR a.attgenerated <> '' AS has_default,
                   a.attgenerated <> '' OR a.attidentity = 'a' AS read_only,
                   EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = c.oid AND i.indisunique
                            AND i.indnkeyatts = 1 AND i.indkey[0] = a.attnum AND i.indpred IS NULL
                            AND i.indexprs IS NULL) AS is_unique
              FROM pg_class c
              JOIN pg_namespace n ON n.oid = c.relnamespace
              JOIN pg_attribute a ON a.attrelid = c.oid
              JOIN pg_type t ON t.oid = a.atttypid
              JOIN pg_type b ON b.oid = CASE WHEN t.typtype = 'd' THEN t.typbasetype ELSE t.oid END
             WHERE n.nspname = ? AND c.relname = ? AND c.relkind IN ('r', 'p')
               AND a.attnum > 0 AND NOT a.attisdropped
             ORDER BY a.attnum
            """;
    private static final String TABLES = """
            SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE n.nspname = ? AND c.relkind IN ('r', 'p') ORDER BY c.relname LIMIT 50
            """;

    private Catalog() {
    }

    /**
     * The table, read in the caller's transaction.
     *
     * @throws PermanentException when the schema has no such table (naming the tables it has)
     */
    static Table table(Connection connection, String schema, String name) throws SQLException, DestinationException {
        List<Table.Column> columns = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement(COLUMNS)) {
            statement.setString(1, schema);
            statement.setString(2, name);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) columns.add(column(rows));
            }
        }
        if (columns.isEmpty()) throw missing(connection, schema, name);
        return new Table(schema, name, columns);
    }

    private static Table.Column column(ResultSet rows) throws SQLException {
        List<String> labels = List.of();
        Array array = rows.getArray("labels");
        if (array != null) labels = Arrays.stream((Object[]) array.getArray()).map(Object::toString).toList();
        FieldType type = fieldType(rows.getString("typname"), rows.getString("typtype"),
                rows.getString("typcategory"));
        return new Table.Column(rows.getString("attname"), rows.getString("cast_type"), type, labels,
                rows.getBoolean("attnotnull"), rows.getBoolean("has_default"), rows.getBoolean("read_only"),
                rows.getBoolean("is_unique"));
    }

    /**
     * The runtime's type for a PostgreSQL type: enums with their labels, booleans, numbers (integers, numeric,
     * floating point, money), dates, timestamps with or without time zone; everything else (text, uuid, json,
     * arrays, times, intervals) as text, which the server parses on the way in.
     */
    static FieldType fieldType(String typeName, String typeType, String category) {
        if ("e".equals(typeType)) return FieldType.ENUMERATION;
        return switch (category) {
            case "B" -> FieldType.BOOLEAN;
            case "N" -> typeName.startsWith("reg") || typeName.equals("oid") ? FieldType.STRING : FieldType.NUMBER;
            case "D" -> switch (typeName) {
                case "date" -> FieldType.DATE;
                case "timestamp", "timestamptz" -> FieldType.DATETIME;
                default -> FieldType.STRING;
            };
            default -> FieldType.STRING;
        };
    }

    private static PermanentException missing(Connection connection, String schema, String name)
            throws SQLException {
        List<String> tables = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement(TABLES)) {
            statement.setString(1, schema);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) tables.add(rows.getString(1));
            }
        }
        String near = tables.stream().filter(t -> t.equalsIgnoreCase(name)).findFirst()
                .map(t -> " (did you mean '" + t + "'? table names are case-sensitive)").orElse("");
        return new PermanentException("schema '" + schema + "' has no table '" + name + "'"
                + near + "; create it first, or set object: to one of: "
                + (tables.isEmpty() ? "(none)" : String.join(", ", tables)), null);
    }
}
