package dev.ebb.core.state;

import java.util.List;

/**
 * The scratch space of one plan: the model's encoded rows go in, one at a time; the diff against the sync's snapshot
 * runs inside the store (one set-based query, so a million rows never sit in the heap); the planned rows come out.
 * Nothing it does changes the snapshot or the run log. One thread at a time.
 */
public interface PlanSession extends AutoCloseable {

    /**
     * Adds one row of the model.
     *
     * @param key         the row's key, or {@code null} when it is null (the row is then invalid)
     * @param fingerprint the fingerprint of its converted values; {@code null} when invalid
     * @param matchValue  its match value as text, or {@code null}
     * @param payload     its converted values, encoded; {@code null} when invalid
     * @param invalid     why the row cannot be delivered, or {@code null} when it can
     */
    void add(String key, String fingerprint, String matchValue, String payload, String invalid) throws StateException;

    /**
     * Loads the model's rows by running {@code rows} inside the store, instead of {@link #add}: the rows never pass
     * through the JVM. Returns why it cannot (the store cannot reach that source), in which case nothing was loaded and
     * the caller adds the rows itself.
     */
    default java.util.Optional<String> load(InPlaceRows rows) throws StateException {
        return java.util.Optional.of("the state store cannot read the source itself");
    }

    /**
     * Instead of {@link #add} and {@link #load}: takes the model's rows as the source's engine encoded their values,
     * through the returned {@link EncodedRows}. Empty when the store takes rows only one by one.
     *
     * @param values  the number of mapped fields each row has a text for
     * @param payload the payload, in SQL of the dialect it is given (an engine's name, as {@code SqlEngine} names
     *                it), of a row whose columns the alias {@code c} names ({@code v_0 …}); empty when Ebb does not
     *                write that dialect
     */
    default java.util.Optional<EncodedRows> encoded(int values,
            java.util.function.Function<String, java.util.Optional<String>> payload) throws StateException {
        return java.util.Optional.empty();
    }

    /**
     * Instead of {@link #encoded}: takes the model's rows in two passes, as the source's engine encoded and hashed them
     * ({@link KeyedRows}), for a plan of the changes only. Empty when the store takes rows only in one pass.
     *
     * @param values     the number of mapped fields each row of the second pass has a text for
     * @param matchIsKey whether the match value is the key's own text (see {@link InPlaceRows#matchIsKey})
     * @param payload    as for {@link #encoded}
     */
    default java.util.Optional<KeyedRows> keyed(int values, boolean matchIsKey,
            java.util.function.Function<String, java.util.Optional<String>> payload) throws StateException {
        return java.util.Optional.empty();
    }

    /**
     * After {@link #diff}: makes planned rows invalid with their reasons (what the destination's own check found
     * wrong with the values they would send), and returns the counts that follow.
     */
    default PlanCounts invalidate(java.util.Map<String, String> reasons) throws StateException {
        throw new UnsupportedOperationException("only a loaded plan is checked after the diff");
    }

    /**
     * Marks rows that share a key or a match value (as the destination compares them) invalid, then plans: added and
     * changed rows, rows whose last write is still in flight, and removals.
     */
    PlanCounts diff(Replan replan, MatchComparison matching) throws StateException;

    /** The invalid rows, with their reasons. */
    RowCursor<InvalidRow> invalid() throws StateException;

    /** The planned rows, removals last, each part ordered by key. */
    RowCursor<PlannedRow> planned() throws StateException;

    /** The first {@code limit} planned rows of one kind of change, by key. */
    List<PlannedRow> samples(Change change, int limit) throws StateException;

    /** An identity of the plan (every planned key, change and fingerprint; no values): what a held run stands for. */
    String identity() throws StateException;

    @Override
    void close() throws StateException;
}
