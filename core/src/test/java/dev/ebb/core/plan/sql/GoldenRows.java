package dev.ebb.core.plan.sql;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ebb.core.config.FieldMapping;
import dev.ebb.core.config.FieldPolicy;
import dev.ebb.core.config.Location;
import dev.ebb.core.config.NullPolicy;
import dev.ebb.core.plan.Binding;
import dev.ebb.core.plan.Extraction;
import dev.ebb.core.plan.Payload;
import dev.ebb.spi.ColumnType;
import dev.ebb.spi.FieldSpec;
import dev.ebb.spi.FieldType;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Golden rows for the SQL form of extraction: every value type, nulls, unicode, negative, large and small decimals,
 * timestamps with 0, 3 and 6 fractional digits, dates, booleans, enumerations, invalid values, duplicate keys and
 * match values. An engine's test loads them into a table {@code golden} (with its own types), reads them back as the
 * source connector would (the JVM's values), and checks that the SQL yields the JVM's keys, fingerprints, payloads
 * and reasons.
 */
public abstract class GoldenRows {
    /** id, email, name, amount, score, active, born, seen, seen_at (zoned), tier: one line per row. */
    public static final List<String> ROWS = List.of(
            "1, 'a@x.io', 'plain', 42, 1.500000, true, DATE '2024-02-29', TIMESTAMP '2024-01-02 03:04:05', "
                    + "TIMESTAMPTZ '2024-01-02 02:00:00+02', 'gold'",
            "2, 'b@x.io', 'Ünïcødé ✓ 日本 \"q\" \\ back', -7, -0.000100, false, DATE '1999-12-31', "
                    + "TIMESTAMP '2024-01-02 03:04:05.120', TIMESTAMPTZ '2024-06-30 00:00:00+00', 'silver'",
            "3, 'c@x.io', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL",
            "4, 'd@x.io', 'tab\there', 9000000000000, 123456789012345.123456, true, DATE '2024-01-01', "
                    + "TIMESTAMP '2024-01-02 03:04:05.123456', TIMESTAMPTZ '2024-01-01 00:00:00+00', 'gold'",
            "5, 'e@x.io', 'x', 0, 0.000000, true, DATE '2024-01-01', TIMESTAMP '2024-03-04 00:00:00', "
                    + "TIMESTAMPTZ '2024-01-01 00:00:00+00', 'platinum-with-a-very-long-name-that-is-cut-short'",
            "6, 'f@x.io', 'y', 1, 100.000000, true, DATE '2024-01-01', TIMESTAMP '2024-03-04 00:00:00.000001', "
                    + "TIMESTAMPTZ '2024-01-01 00:00:00+00', 'bronze'",
            "NULL, 'g@x.io', 'null key', 1, 1, true, NULL, NULL, NULL, 'gold'",
            "8, NULL, 'null match', 1, 1, true, NULL, NULL, NULL, 'gold'",
            "9, 'dup@x.io', 'same key', 1, 1, true, NULL, NULL, NULL, 'gold'",
            "9, 'dup2@x.io', 'same key', 1, 1, true, NULL, NULL, NULL, 'gold'",
            "10, 'Same@x.io', 'same match', 1, 1, true, NULL, NULL, NULL, 'gold'",
            "11, 'same@x.io', 'same match', 1, 1, true, NULL, NULL, NULL, 'gold'",
            "12, 'h@x.io', 'not a day', 1, 1, true, NULL, NULL, TIMESTAMPTZ '2024-01-01 10:00:00.5+00', 'gold'");

    public static final List<String> COLUMNS = List.of("id", "email", "name", "amount", "score", "active", "born", "seen",
            "seen_at", "tier");

    /** The table {@code golden}'s DDL in the engine's types. */
    abstract String create();

    abstract Connection connection() throws SQLException;

    abstract Dialect dialect();

    /** A column's type, and the value the source connector would hand the JVM. */
    abstract ColumnType type(String nativeType);

    abstract Object read(ResultSet rows, int column, String nativeType) throws SQLException;

    public static List<Binding> bindings() {
        return List.of(
                binding("name", FieldSpec.of("name", FieldType.STRING), 2),
                binding("amount", FieldSpec.of("amount", FieldType.NUMBER), 3),
                binding("score", FieldSpec.of("score", FieldType.NUMBER), 4),
                binding("score", FieldSpec.of("score_text", FieldType.STRING), 4),
                binding("active", FieldSpec.of("active", FieldType.BOOLEAN), 5),
                binding("born", FieldSpec.of("born", FieldType.DATE), 6),
                binding("born", FieldSpec.of("born_at", FieldType.DATETIME), 6),
                binding("seen", FieldSpec.of("seen", FieldType.DATETIME), 7),
                binding("seen_at", FieldSpec.of("seen_at", FieldType.DATETIME), 8),
                binding("seen_at", FieldSpec.of("seen_day", FieldType.DATE), 8),
                binding("tier", new FieldSpec("tier", FieldType.ENUMERATION, false, false,
                        List.of("gold", "silver", "bronze")), 9),
                binding("amount", FieldSpec.of("amount_label", FieldType.STRING), 3),
                new Binding(new FieldMapping(null, "web", "source", FieldPolicy.OVERWRITE, NullPolicy.CLEAR,
                        new Location(Path.of("syncs/s.yaml"), 1)), -1, FieldSpec.of("source", FieldType.STRING)));
    }

    private static Binding binding(String column, FieldSpec field, int index) {
        return new Binding(new FieldMapping(column, null, field.name(), FieldPolicy.OVERWRITE, NullPolicy.CLEAR,
                new Location(Path.of("syncs/s.yaml"), 1)), index, field);
    }

    /** What the JVM makes of each row, by key (duplicates aside: those the planner marks). */
    record Expected(String key, String match, String fingerprint, String payload, String invalid) {
    }

    List<Extraction.Encoded> jvm(Connection c, List<String> nativeTypes) throws SQLException {
        List<Binding> bindings = bindings();
        List<String> fields = bindings.stream().map(Binding::name).toList();
        List<Extraction.Encoded> encoded = new ArrayList<>();
        try (Statement st = c.createStatement(); ResultSet rows = st.executeQuery("SELECT * FROM golden")) {
            while (rows.next()) {
                Object[] values = new Object[COLUMNS.size()];
                for (int i = 0; i < values.length; i++) values[i] = read(rows, i + 1, nativeTypes.get(i));
                encoded.add(Extraction.encode(List.of("id"), new int[]{0}, "email", 1, bindings, fields,
                        index -> values[index], new ArrayList<>()));
            }
        }
        return encoded;
    }

    List<String> nativeTypes(Connection c) throws SQLException {
        List<String> types = new ArrayList<>();
        try (Statement st = c.createStatement(); ResultSet rows = st.executeQuery("SELECT * FROM golden LIMIT 0")) {
            for (int i = 1; i <= rows.getMetaData().getColumnCount(); i++) {
                types.add(rows.getMetaData().getColumnTypeName(i));
            }
        }
        return types;
    }

    void load(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute(create());
            for (String row : ROWS) st.execute("INSERT INTO golden VALUES (" + row + ")");
        }
    }

    void sqlEqualsJvm() throws SQLException {
        try (Connection c = connection()) {
            load(c);
            List<String> nativeTypes = nativeTypes(c);
            List<ExtractionSql.ModelColumn> columns = new ArrayList<>();
            for (int i = 0; i < COLUMNS.size(); i++) {
                columns.add(new ExtractionSql.ModelColumn(COLUMNS.get(i), type(nativeTypes.get(i)),
                        nativeTypes.get(i)));
            }
            ExtractionSql.Result result = ExtractionSql.of(dialect(), new ExtractionSql.Shape(List.of("id"),
                    new int[]{0}, "email", 1, columns, bindings()), "SELECT * FROM golden", true);
            assertThat(result.fallback()).isNull();
            ExtractionSql sql = result.sql().orElseThrow();
            Map<String, List<String>> byEmail = new LinkedHashMap<>();
            try (Statement st = c.createStatement(); ResultSet rows = st.executeQuery(
                    "SELECT r.key, r.match, r.fp, r.invalid, " + sql.payload("r") + " FROM (" + sql.query() + ") r")) {
                while (rows.next()) {
                    byEmail.put(String.valueOf(rows.getString(2)), List.of(String.valueOf(rows.getString(1)),
                            String.valueOf(rows.getString(3)), String.valueOf(rows.getString(4)),
                            String.valueOf(rows.getString(5))));
                }
            }
            List<Extraction.Encoded> jvm = jvm(c, nativeTypes);
            assertThat(byEmail).hasSize(jvm.size());
            for (Extraction.Encoded row : jvm) {
                List<String> got = byEmail.get(String.valueOf(row.match()));
                assertThat(got).as("row %s", row.match()).isNotNull();
                assertThat(got.get(0)).as("key of %s", row.match()).isEqualTo(String.valueOf(row.key()));
                String dup = duplicate(row.match());
                if (dup != null) {
                    assertThat(got.get(2)).as("reason of %s", row.match()).isEqualTo(dup);
                    assertThat(got.get(1)).isEqualTo("null");
                    continue;
                }
                assertThat(got.get(2)).as("reason of %s", row.match()).isEqualTo(String.valueOf(row.invalid()));
                assertThat(got.get(1)).as("fingerprint of %s", row.match()).isEqualTo(String.valueOf(row.fingerprint()));
                if (row.payload() != null) {
                    assertThat(Payload.decode(got.get(3))).as("payload of %s", row.match())
                            .isEqualTo(Payload.decode(row.payload()));
                    if (!row.payload().contains("\\t")) {
                        assertThat(got.get(3)).as("payload text of %s", row.match()).isEqualTo(row.payload());
                    }
                }
            }
            assertThat(jvm).filteredOn(r -> r.invalid() != null).extracting(Extraction.Encoded::invalid)
                    .as("the golden rows hold every kind of invalid value").anySatisfy(r ->
                            assertThat(r).contains("is not an option")).anySatisfy(r ->
                            assertThat(r).contains("expected a date")).anySatisfy(r ->
                            assertThat(r).startsWith("key")).anySatisfy(r -> assertThat(r).startsWith("match"));
        }
    }

    /** The planner's reasons for the rows that share a key or (case-blind) a match value. */
    private static String duplicate(String match) {
        return switch (String.valueOf(match)) {
            case "dup@x.io", "dup2@x.io" -> "duplicate key: 2 rows of the model share it";
            case "Same@x.io", "same@x.io" ->
                    "duplicate match value: 2 rows of the model share it (compared case-blind, as the destination does)";
            default -> null;
        };
    }
}
