package dev.ebb.core.plan.sql;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import dev.ebb.core.plan.Binding;
import dev.ebb.core.plan.Fingerprint;
import dev.ebb.core.plan.Values;
import dev.ebb.core.state.InPlaceRows;
import dev.ebb.spi.ColumnType;
import dev.ebb.spi.DuckDbAttachment;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The SQL form of extraction: one query over the model that yields, per row, what {@code Extraction} computes in the
 * JVM, with the same bytes: the key and match value as {@link Values#text} writes them, the fingerprint of
 * {@link Fingerprint} (encoding v1), the reason a row is invalid ({@link Values#convert}'s messages), and each mapped
 * field's canonical text, from which {@link #payload} writes what {@code Payload.encode} writes. Rows that share a key,
 * or a match value as the destination compares them, are invalid, as the embedded planner marks them.
 *
 * <p>Columns of the query: {@code key, match, fp, invalid} and {@code v_0 … v_n-1} (the mapped fields' texts, in
 * mapping order). {@code fp} is {@code null} for an invalid row.
 *
 * <p>Not every conversion can be written exactly in SQL; {@link #of} then says why, and the sync plans in the JVM.
 * Stateless; an instance is one sync's query.
 */
public final class ExtractionSql {
    private static final HexFormat HEX = HexFormat.of();

    /**
     * A column of the model.
     *
     * @param nativeType the engine's name of its type ({@code TIMESTAMP WITH TIME ZONE}, {@code timestamptz})
     */
    public record ModelColumn(String name, ColumnType type, String nativeType) {
    }

    /**
     * What the query is made of: the sync's key (as the sync names it, for messages) and match column, the model's
     * columns, and the bindings.
     */
    public record Shape(List<String> key, int[] keyColumns, String matchName, int matchColumn,
                        List<ModelColumn> columns, List<Binding> bindings) {
    }

    /** A query, or why there is none. */
    public record Result(Optional<ExtractionSql> sql, String fallback) {
        static Result fallback(String reason) {
            return new Result(Optional.empty(), reason);
        }
    }

    private final Dialect dialect;
    private final List<Binding> bindings;
    private final String query;
    /** What a store plans in place from: see {@link #inPlace}. */
    private final InPlaceRows inPlace;
    private final String rows;
    private final List<Character> tags;
    /** The rows in two passes, where the dialect hashes the values and takes a list of keys: see {@link #passes}. */
    private final Optional<Passes> passes;

    private ExtractionSql(Dialect dialect, List<Binding> bindings, String query, InPlaceRows inPlace, String rows,
                          List<Character> tags, Optional<Passes> passes) {
        this.dialect = dialect;
        this.bindings = bindings;
        this.query = query;
        this.inPlace = inPlace;
        this.rows = rows;
        this.tags = tags;
        this.passes = passes;
    }

    /**
     * The rows in two passes, for a store that cannot read the source and diffs by quick hash ({@code KeyedRows}).
     *
     * @param keys   every row's {@code key, match, invalid, quick} (see {@link Dialect#quickHash})
     * @param rowsOf the rows of {@link #rows} whose key is in a list the query takes as its one parameter (see
     *               {@link Dialect#keyList}), and those without a key, with their quick hash last
     * @param every  every row of {@link #rows}, with its quick hash last
     */
    public record Passes(String keys, String rowsOf, String every) {
    }

    /** The rows in two passes: empty where the dialect has no quick hash, or takes no list of keys. */
    public Optional<Passes> passes() {
        return passes;
    }

    /** The query over {@code modelQuery}, where {@code caseBlind} says how the destination compares match values. */
    public static Result of(Dialect dialect, Shape shape, String modelQuery, boolean caseBlind) {
        List<String> texts = new ArrayList<>();
        List<Character> tags = new ArrayList<>();
        List<String> invalid = new ArrayList<>();
        String m = "m.";
        List<String> keyParts = new ArrayList<>();
        for (int column : shape.keyColumns()) {
            Optional<String> text = text(dialect, shape.columns().get(column), m);
            if (text.isEmpty()) return Result.fallback(unwritable(shape.columns().get(column), "key"));
            keyParts.add(text.get());
        }
        ModelColumn matchColumn = shape.columns().get(shape.matchColumn());
        Optional<String> match = text(dialect, matchColumn, m);
        if (match.isEmpty()) return Result.fallback(unwritable(matchColumn, "match"));
        String key = keyParts.size() == 1 ? keyParts.get(0) : "CASE WHEN " + String.join(" OR ",
                keyParts.stream().map(p -> p + " IS NULL").toList()) + " THEN NULL ELSE " + dialect.concatText(
                interleave(keyParts, dialect.controlChar('\u001F'))) + " END";
        invalid.add("WHEN " + key + " IS NULL THEN " + dialect.literal("key " + shape.key() + " is null"));
        invalid.add("WHEN " + match.get() + " IS NULL THEN "
                + dialect.literal("match column '" + shape.matchName() + "' is null"));
        // The mapped columns as the model has them (r_<column>): what a store keeps of a row besides its fingerprint,
        // the texts written again from them for the planned rows only (materialising every row's texts costs more
        // than computing them twice for a few).
        List<String> rawTexts = new ArrayList<>();
        SortedSet<Integer> rawColumns = new TreeSet<>();
        for (Binding b : shape.bindings()) {
            Conversion c;
            if (b.column() < 0) {
                c = Conversion.constant(dialect, b);
                rawTexts.add(c.text());
            } else {
                ModelColumn column = shape.columns().get(b.column());
                Optional<Conversion> converted = Conversion.of(dialect, column, b, m);
                if (converted.isEmpty()) {
                    return Result.fallback("column '" + b.mapping().column() + "' (" + column.nativeType()
                            + ") into field '" + b.name() + "' (" + b.field().type() + ") is converted in the JVM only");
                }
                c = converted.get();
                rawColumns.add(b.column());
                ModelColumn kept = new ModelColumn(raw(b.column()), column.type(), column.nativeType());
                rawTexts.add(Conversion.of(dialect, kept, b, "c.").orElseThrow().text());
            }
            texts.add(c.text());
            tags.add(c.tag());
            if (c.invalidWhen() != null) invalid.add("WHEN " + c.invalidWhen() + " THEN " + c.reason());
        }
        String core = "SELECT " + key + " AS key, " + match.get() + " AS match, CASE " + String.join(" ", invalid)
                + " END AS invalid";
        StringBuilder head = new StringBuilder(core);
        for (int i = 0; i < texts.size(); i++) head.append(", ").append(texts.get(i)).append(" AS v_").append(i);
        String from = " FROM (" + modelQuery + ") AS m" + dialect.fence();
        String rows = head + from;
        StringBuilder rawSelect = new StringBuilder();
        List<String> hashed = new ArrayList<>();
        StringBuilder seed = new StringBuilder(dialect.name()).append('\u001F').append(Fingerprint.VERSION);
        for (int i = 0; i < shape.bindings().size(); i++) {
            seed.append('\u001F').append(shape.bindings().get(i).name()).append('\u001F').append(tags.get(i))
                    .append('\u001F').append(rawTexts.get(i));
        }
        for (int column : rawColumns) {
            String value = "m." + dialect.quote(shape.columns().get(column).name());
            rawSelect.append(", ").append(value).append(" AS ").append(raw(column));
            hashed.add(value);
            seed.append('\u001F').append(raw(column)).append('\u001F').append(shape.columns().get(column).nativeType());
        }
        String marked = duplicates(dialect, rows, texts.size(), caseBlind);
        List<String> textsOfR = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) textsOfR.add("r.v_" + i);
        String fingerprint = "CASE WHEN invalid IS NULL THEN " + fingerprint(dialect, shape.bindings(), tags,
                textsOfR) + " END AS fp";
        String select = "SELECT key, match, " + fingerprint + ", invalid" + values(texts.size(), "r.") + " FROM (";
        // The quick hash of the kept values, seeded with everything their texts are written by: another mapping,
        // conversion or column type hashes differently, and its rows' fingerprints are computed afresh.
        Optional<String> quick = dialect.quickHash(dialect.literal(seedOf(seed.toString())), hashed,
                rawColumns.stream().map(column -> shape.columns().get(column).nativeType()).toList());
        String none = "CAST(NULL AS BIGINT)";
        boolean matchIsKey = shape.keyColumns().length == 1 && shape.keyColumns()[0] == shape.matchColumn();
        InPlaceRows inPlace = new InPlaceRows(Optional.empty(), core + rawSelect + ", " + quick.orElse(none)
                + " AS quick", quick.isEmpty() ? Optional.empty() : Optional.of(core + rawSelect + ", " + none
                + " AS quick"), modelQuery, key, dialect.fence(), Optional.empty(), fingerprint(dialect,
                shape.bindings(), tags, rawTexts), payload(dialect, shape.bindings(), tags, rawTexts), matchIsKey);
        Optional<Passes> passes = quick.isEmpty() || dialect.keyList().isEmpty() ? Optional.empty()
                : Optional.of(new Passes("SELECT key, match, invalid, quick FROM (" + inPlace.rows() + ") AS r",
                head + ", " + quick.get() + " AS quick FROM (" + modelQuery + ") AS m WHERE " + key + " IN ("
                + dialect.keyList().get() + ") OR " + key + " IS NULL" + dialect.fence(),
                head + ", " + quick.get() + " AS quick" + from));
        return new Result(Optional.of(new ExtractionSql(dialect, shape.bindings(), select + marked + ") AS r",
                inPlace, rows, tags, passes)), null);
    }

    /** 16 hex digits of the SHA-256 of a text. */
    private static String seedOf(String text) {
        try {
            return HEX.formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)), 0, 8);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /** The name of a model column's value as {@link #inPlace} keeps it. */
    private static String raw(int column) {
        return "r_" + column;
    }

    /** The query: one row per model row, those that share a key or match value marked invalid. */
    public String query() {
        return query;
    }

    /**
     * The rows as a plan session plans them where they are (see {@link InPlaceRows}), from {@code source} if it is
     * DuckDB: unmarked (the store marks the rows that share a key or match value), each with the quick hash of its
     * mapped values (see {@link Dialect#quickHash}), the fingerprint and the payload written from the values for the
     * rows the plan needs them of only.
     */
    public InPlaceRows inPlace(Optional<DuckDbAttachment> source) {
        return source.map(inPlace::from).orElse(inPlace);
    }

    /**
     * The rows before duplicates are marked and fingerprints taken: columns {@code key, match, invalid, v_0 … v_n-1},
     * {@code invalid} saying only what {@link Values#convert} and a null key or match value say: for a store that marks
     * duplicates itself, and fingerprints taken from the texts ({@link #tags}).
     */
    public String rows() {
        return rows;
    }

    /** The fingerprint's type tag of each mapped field's text ({@code Fingerprint#ofTexts}), in mapping order. */
    public String tags() {
        StringBuilder all = new StringBuilder();
        for (char tag : tags) all.append(tag);
        return all.toString();
    }

    /** The number of mapped fields: the query's columns {@code v_0 … v_n-1}. */
    public int values() {
        return bindings.size();
    }

    /** The mapped fields, in the order of the columns {@code v_0 … v_n-1}. */
    public List<String> fieldNames() {
        return bindings.stream().map(Binding::name).toList();
    }

    /** The payload ({@code Payload.encode}'s JSON) of a row of {@link #query}, whose columns {@code alias} names. */
    public String payload(String alias) {
        return payload(dialect, alias);
    }

    /**
     * The payload of a row of {@link #query} written in another engine's SQL: for a store that was sent the query's
     * rows (their {@code v_*} texts are the same whichever engine wrote them).
     */
    public String payload(Dialect dialect, String alias) {
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < bindings.size(); i++) texts.add(alias + ".v_" + i);
        return payload(dialect, bindings, tags, texts);
    }

    /** The payload of the mapped fields' texts, {@code texts} (SQL, in mapping order). */
    private static String payload(Dialect dialect, List<Binding> bindings, List<Character> tags, List<String> texts) {
        List<String> parts = new ArrayList<>();
        parts.add("'['");
        for (int i = 0; i < bindings.size(); i++) {
            String v = texts.get(i);
            String name = (i == 0 ? "" : ",") + json(bindings.get(i).name());
            parts.add("CASE WHEN " + v + " IS NULL THEN " + dialect.literal(name + ",\"N\",null") + " ELSE "
                    + dialect.concatText(List.of(dialect.literal(name + ",\"" + tags.get(i) + "\","),
                    dialect.jsonString(v))) + " END");
        }
        parts.add("']'");
        return dialect.concatText(parts);
    }

    /**
     * {@link Fingerprint}'s encoding v1 in SQL: the version byte, then per field its name, tag and text ({@code texts},
     * SQL, in mapping order).
     */
    private static String fingerprint(Dialect dialect, List<Binding> bindings, List<Character> tags,
                                      List<String> texts) {
        List<String> parts = new ArrayList<>();
        parts.add(dialect.bytes(HEX.formatHex(new byte[]{Fingerprint.VERSION})));
        for (int i = 0; i < bindings.size(); i++) {
            String v = texts.get(i);
            byte[] name = lengthPrefixed(bindings.get(i).name());
            parts.add("CASE WHEN " + v + " IS NULL THEN " + dialect.bytes(HEX.formatHex(name) + hex('N'))
                    + " ELSE " + dialect.concat(List.of(dialect.bytes(HEX.formatHex(name) + hex(tags.get(i))),
                    dialect.int32(dialect.byteLength(v)), dialect.utf8(v))) + " END");
        }
        return dialect.sha256Hex32(dialect.concat(parts));
    }

    /**
     * Marks rows that share a key, then (among the rows still valid) rows that share a match value, with the
     * embedded planner's reasons. Window counts, so that it is one pass of the engine.
     */
    private static String duplicates(Dialect d, String rows, int values, boolean caseBlind) {
        String keys = "SELECT key, match, CASE WHEN key IS NOT NULL AND COUNT(*) OVER (PARTITION BY"
                + " key) > 1 THEN " + d.concatText(List.of("'duplicate key: '", d.text("COUNT(*) OVER (PARTITION BY"
                + " key)"), "' rows of the model share it'")) + " ELSE invalid END AS invalid" + values(values, "")
                + " FROM (" + rows + ") AS k";
        String matchValue = caseBlind ? d.lower("match") : "match";
        String sharing = "SUM(CASE WHEN invalid IS NULL THEN 1 ELSE 0 END) OVER (PARTITION BY " + matchValue + ")";
        return "SELECT key, match, CASE WHEN invalid IS NULL AND " + sharing + " > 1 THEN " + d.concatText(List.of(
                "'duplicate match value: '", d.text(sharing), d.literal(" rows of the model share it"
                        + (caseBlind ? " (compared case-blind, as the destination does)" : "")))) + " ELSE invalid END"
                + " AS invalid" + values(values, "") + " FROM (" + keys + ") AS d";
    }

    private static String values(int count, String alias) {
        StringBuilder columns = new StringBuilder();
        for (int i = 0; i < count; i++) columns.append(", ").append(alias).append("v_").append(i);
        return columns.toString();
    }

    /** A column's text as {@link Values#text} writes the value it arrives as, or empty when SQL cannot. */
    static Optional<String> text(Dialect d, ModelColumn column, String alias) {
        String c = alias + d.quote(column.name());
        // A blank-padded char(n) arrives padded, and its cast to text drops the padding.
        if (column.nativeType().equalsIgnoreCase("bpchar")) return Optional.empty();
        return switch (column.type()) {
            case STRING, INTEGER -> Optional.of(d.text(c));
            case DECIMAL -> Optional.of(d.numberText(c));
            case BOOLEAN -> Optional.of(d.booleanText(c));
            case DATE -> Optional.of(d.dateText(c));
            case TIMESTAMP -> d.exactInstant(column.nativeType()) ? Optional.of(d.instantText(c, column.nativeType()))
                    : Optional.empty();
            // A double's shortest decimal text, and the renderings of other types, are Java's own.
            case DOUBLE, OTHER -> Optional.empty();
        };
    }

    private static String unwritable(ModelColumn column, String role) {
        return "the " + role + " column '" + column.name() + "' (" + column.nativeType() + ") has no exact text in SQL";
    }

    private static List<String> interleave(List<String> parts, String separator) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < parts.size(); i++) {
            if (i > 0) out.add(separator);
            out.add(parts.get(i));
        }
        return out;
    }

    private static byte[] lengthPrefixed(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(4 + bytes.length).putInt(bytes.length).put(bytes).array();
    }

    private static String hex(char tag) {
        return HEX.toHexDigits((byte) tag);
    }

    /** A text as a JSON string, with its quotes, as Jackson writes it. */
    static String json(String text) {
        return "\"" + new String(JsonStringEncoder.getInstance().quoteAsString(text)) + "\"";
    }
}
