package dev.ebb.core.plan;

import dev.ebb.core.state.Change;
import dev.ebb.core.state.PlanCounts;
import dev.ebb.core.state.PlannedRow;
import dev.ebb.core.state.RowCursor;
import dev.ebb.core.state.PlanSession;
import dev.ebb.core.state.Replan;
import dev.ebb.core.state.StateException;
import dev.ebb.spi.Destination;
import dev.ebb.spi.RowStream;
import dev.ebb.spi.SourceException;
import dev.ebb.spi.SourceRow;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

/**
 * Extract, encode and diff: the model's rows stream from the source (one row in the heap at a time); each row's key,
 * match value and mapped values are computed, each value converted to what its destination field takes (or the row
 * is invalid, with the reason), and the destination checks the values it would be sent ({@code Destination.problem});
 * the fingerprint and the encoded payload go with the row into the plan session, and
 * the session diffs them against the snapshot.
 */
public final class Extraction {
    /** How often the caller hears how many rows were read. */
    private static final int PROGRESS_EVERY = 50_000;

    private Extraction() {
    }

    /**
     * Streams the model into {@code session} and plans.
     *
     * @param extracted hears the rows read so far, now and then and at the end
     */
    public static PlanCounts extractAndDiff(BoundSync bound, PlanSession session, Replan replan,
                                            LongConsumer extracted) throws SyncException, StateException {
        return extractAndDiff(bound, session, replan, extracted, reason -> { });
    }

    /**
     * Plans in the state store when it can read the source itself (the rows never pass through the JVM, and the
     * destination checks only the planned rows' values); else streams the rows in.
     *
     * @param inJvm hears why the rows had to come through the JVM, when the source could run Ebb's SQL
     */
    public static PlanCounts extractAndDiff(BoundSync bound, PlanSession session, Replan replan,
                                            LongConsumer extracted, Consumer<String> inJvm)
            throws SyncException, StateException {
        Optional<String> refused;
        try {
            refused = InPlace.load(bound, session, replan);
        } catch (SourceException e) {
            throw failure(bound, e);
        }
        if (refused.isEmpty()) {
            session.diff(replan, bound.matching());
            PlanCounts counts = session.invalidate(checksValues(bound.destination()) ? problems(bound, session)
                    : Map.of());
            extracted.accept(counts.rows());
            return counts;
        }
        if (bound.source().engine().isPresent()) inJvm.accept(refused.get());
        long rows = 0;
        List<String> fieldNames = bound.fieldNames();
        boolean checks = checksValues(bound.destination());
        try (RowStream stream = bound.source().query(bound.model().sql())) {
            List<Object> values = new ArrayList<>(bound.bindings().size());
            SourceRow row;
            while ((row = stream.next()) != null) {
                rows++;
                Encoded encoded = encode(bound.sync().key(), bound.keyColumns(), bound.sync().match().column(),
                        bound.matchColumn(), bound.bindings(), fieldNames, row, values);
                String invalid = encoded.invalid();
                if (invalid == null && checks) invalid = problem(bound, encoded.match(), fieldNames, values);
                if (invalid == null) {
                    session.add(encoded.key(), encoded.fingerprint(), encoded.match(), encoded.payload(), null);
                } else {
                    session.add(encoded.key(), null, encoded.match(), null, invalid);
                }
                if (rows % PROGRESS_EVERY == 0) extracted.accept(rows);
            }
            extracted.accept(rows);
        } catch (SourceException e) {
            throw failure(bound, e);
        }
        return session.diff(replan, bound.matching());
    }

    private static SyncException failure(BoundSync bound, SourceException e) {
        return new SyncException(e.unreachable() ? SyncException.Kind.UNAVAILABLE : SyncException.Kind.INVALID,
                "model '" + bound.model().name() + "' (" + bound.model().location() + "): " + e.getMessage(), e);
    }

    /**
     * Whether the destination checks values at all. One that keeps {@link Destination#problem}'s default objects to
     * nothing, and asking it anyway costs a map of every row's values (or, planned in the store, reading every
     * planned row back and decoding its payload: an eighth of a full sync's time).
     */
    private static boolean checksValues(Destination destination) {
        try {
            return destination.getClass().getMethod("problem", String.class, Map.class).getDeclaringClass()
                    != Destination.class;
        } catch (NoSuchMethodException e) {
            return true;
        }
    }

    /** What the destination finds wrong with the values of the planned (added, changed) rows, by key. */
    private static Map<String, String> problems(BoundSync bound, PlanSession session) throws StateException {
        Map<String, String> problems = new HashMap<>();
        List<String> fieldNames = bound.fieldNames();
        try (RowCursor<PlannedRow> rows = session.planned()) {
            PlannedRow row;
            while ((row = rows.next()) != null) {
                if (row.change() == Change.REMOVED) continue;
                Map<String, Object> decoded = Payload.decode(row.payload());
                List<Object> values = new ArrayList<>(fieldNames.size());
                for (String field : fieldNames) values.add(decoded.get(field));
                String problem = problem(bound, row.matchValue(), fieldNames, values);
                if (problem != null) problems.put(row.key(), problem);
            }
        }
        return problems;
    }

    /**
     * One model row as the plan sees it (before the destination's check): key, match value, and either the
     * fingerprint and payload of its converted values or why it is invalid.
     */
    public record Encoded(String key, String match, String fingerprint, String payload, String invalid) {
    }

    /**
     * Encodes one row; {@code values} receives its converted values (valid up to the first that does not fit).
     *
     * @param keyNames the sync's key, as it names it (for the message of a null key)
     */
    public static Encoded encode(List<String> keyNames, int[] keyColumns, String matchName, int matchColumn,
                                 List<Binding> bindings, List<String> fieldNames, SourceRow row, List<Object> values) {
        values.clear();
        String key = key(keyColumns, row);
        Object matchRaw = row.value(matchColumn);
        String match = matchRaw == null ? null : Values.text(matchRaw);
        String invalid = key == null ? "key " + keyNames + " is null"
                : match == null ? "match column '" + matchName + "' is null"
                : convert(bindings, row, values);
        return invalid == null
                ? new Encoded(key, match, Fingerprint.of(fieldNames, values), Payload.encode(fieldNames, values), null)
                : new Encoded(key, match, null, null, invalid);
    }

    /** Converts the row's mapped values into {@code values}; returns why the row is invalid, or {@code null}. */
    private static String convert(List<Binding> bindings, SourceRow row, List<Object> values) {
        for (Binding b : bindings) {
            Object raw = b.column() < 0 ? b.mapping().value() : row.value(b.column());
            try {
                values.add(Values.convert(raw, b.field()));
            } catch (Values.Unfit unfit) {
                return (b.column() < 0 ? "value" : "column '" + b.mapping().column() + "'") + ": "
                        + unfit.getMessage();
            }
        }
        return null;
    }

    /**
     * What the destination says is wrong with the values the row would send (an email an audience cannot normalise),
     * or {@code null}: asked of every valid row, before any call, so a row it objects to is invalid and never sent. The
     * match field is among the values asked about, as the record's match value, when no mapping sends it already.
     */
    private static String problem(BoundSync bound, String match, List<String> fieldNames, List<Object> values) {
        Map<String, Object> converted = new HashMap<>(fieldNames.size() * 2);
        for (int i = 0; i < fieldNames.size(); i++) converted.put(fieldNames.get(i), values.get(i));
        Map<String, Object> sent = Operations.sent(bound, converted);
        sent.putIfAbsent(bound.sync().match().field(), match);
        return bound.destination().problem(bound.capabilities().object(), sent).orElse(null);
    }

    /** The row's key as text, or {@code null} when a part of it is null. */
    private static String key(int[] keyColumns, SourceRow row) {
        if (keyColumns.length == 1) {
            Object value = row.value(keyColumns[0]);
            return value == null ? null : Values.text(value);
        }
        StringBuilder key = new StringBuilder();
        for (int i = 0; i < keyColumns.length; i++) {
            Object value = row.value(keyColumns[i]);
            if (value == null) return null;
            // The unit separator cannot appear in ordinary text, so composite keys stay unambiguous.
            if (i > 0) key.append('\u001F');
            key.append(Values.text(value));
        }
        return key.toString();
    }
}
