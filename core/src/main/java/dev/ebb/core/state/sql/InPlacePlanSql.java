package dev.ebb.core.state.sql;

import dev.ebb.core.state.InPlaceRows;
import dev.ebb.core.state.InvalidRow;
import dev.ebb.core.state.PlanCounts;
import dev.ebb.core.state.RowCursor;
import dev.ebb.core.state.StateException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;

/**
 * The plan of rows the store reads where they are ({@link InPlaceRows}: a DuckDB source attached to the embedded
 * store, or a warehouse keeping its own state), as the statements every such store runs. The model is never
 * materialised. The diff is a full outer join of it with the snapshot, as a plain diff of two tables is, in two steps:
 * the keys whose rows differ, found by joining each row's key and quick hash alone, then the join of those keys' rows
 * only ({@link #plan}). The rows that cannot be sent (a null key, a value that does not convert, a key or match value
 * several rows share) are found in the plan itself, and the model counted, unless a key of rows already sent is
 * shared: then one aggregate over the model finds them ({@link #markFromPlan}). Only the planned and the invalid rows
 * are kept, in temporary tables.
 *
 * <p><b>Fingerprints kept by quick hash.</b> The snapshot keeps, beside a row's fingerprint, the quick hash of the
 * values it was computed from ({@code quick}; {@code Dialect#quickHash}). Where a current row's quick hash is the
 * snapshot's, its fingerprint is the snapshot's and is not computed: the SHA-256 of a row in SQL costs more than
 * the whole join. The others' fingerprints are computed; those that turn out unchanged ({@code same}) teach the
 * snapshot their quick hash ({@link #settle}), which a commit leaves null. Two different rows of one key share a
 * quick hash with a chance of 2^-63; the hash's seed names the mapping, the conversions and the columns' types.
 *
 * <p>The tables: {@code keys} (the keys of the rows that differ), {@code bad} ({@code key, invalid, n, whole}: per
 * key the reason its {@code n} rows cannot be sent, and one row, {@code whole = 1}, with the number of the model's
 * rows), and {@code plan}, with the columns of {@link StateRows#PLANNED_COLUMNS} and {@code quick}. Stateless.
 */
public final class InPlacePlanSql {
    private InPlacePlanSql() {
    }

    /**
     * A store's tables for one plan.
     *
     * @param bad             the table of rows that cannot be sent, created by {@link #markFromPlan}
     * @param plan            the plan's table, created by {@link #plan}
     * @param keys            the keys whose rows differ from the snapshot, the first table {@link #plan} creates
     * @param snapshot        the sync's snapshot as a query (key, fp, quick, match, dest_id, field_hashes, payload),
     *                        whose every parameter is the sync's name
     * @param inFlight        the sync's rows in flight (key, match, payload; one row per key), the same parameters
     * @param leftFieldHashes the table of field hashes of rows that left the model
     * @param syncParameter   how a statement names its parameter (the sync): {@code ?}, or {@code $1}
     * @param fence           what ends a subquery whose columns the engine must compute once per row (see
     *                        {@code Dialect#fence})
     */
    public record Tables(String bad, String plan, String keys, String snapshot, String inFlight,
                         String leftFieldHashes, String syncParameter, String fence) {
    }

    /**
     * Plans the model ({@link #plan}) and marks what cannot be sent ({@link #markFromPlan}, {@link #takeMarked}): the
     * plan of a store that runs its statements one after the other.
     */
    public static void planMarked(Connection c, Tables t, InPlaceRows rows, boolean everyRow, boolean caseBlind,
                                  String sync) throws SQLException {
        if (!everyRow) differing(c, t, rows, sync);
        joinMarked(c, t, rows, everyRow, caseBlind, sync);
    }

    /**
     * {@link #planMarked} once {@code keys} is made ({@link #differing}, or the source's first pass): the join of the
     * differing keys' rows, then the marks.
     */
    public static void joinMarked(Connection c, Tables t, InPlaceRows rows, boolean everyRow, boolean caseBlind,
                                  String sync) throws SQLException {
        join(c, t, rows, everyRow, sync);
        markFromPlan(c, t, rows, sync);
        takeMarked(c, t, rows, caseBlind);
    }

    /**
     * Creates {@code bad} after {@link #plan}, from the plan itself when no key of the model's rows that met a
     * snapshot entry is shared: the plan keeps every invalid row and every row that met no entry, so those rows are
     * all the marks can name, and the rows that met an entry share no key exactly when there are as many of them as
     * entries they met (the entries' keys are unique). Counting the model and the snapshot costs a scan of each that
     * computes no column; the aggregate over the model ({@link #markKeys}) runs only when the counts differ.
     */
    public static void markFromPlan(Connection c, Tables t, InPlaceRows rows, String sync) throws SQLException {
        long modelRows;
        boolean shared;
        try (PreparedStatement ps = c.prepareStatement("SELECT (SELECT count(*) FROM (" + rows.rows() + ") AS r),"
                + " (SELECT count(*) FROM " + old(c, t, sync) + " AS o),"
                + " (SELECT count(*) FROM " + t.plan() + " WHERE unpaired),"
                + " (SELECT count(*) FROM " + t.plan() + " WHERE change = 'removed')")) {
            PlanSql.bindSync(ps, sync);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                modelRows = rs.getLong(1);
                long entries = rs.getLong(2);
                long metNone = rs.getLong(3);
                long removed = rs.getLong(4);
                shared = modelRows - metNone != entries - removed;
            }
        }
        try (Statement st = c.createStatement()) {
            if (shared) {
                st.execute(markKeys(t, rows));
                return;
            }
            st.execute(marks(t, "SELECT key, invalid FROM " + t.plan() + " WHERE change = 'invalid' OR unpaired"));
            st.execute("UPDATE " + t.bad() + " SET n = " + modelRows + " WHERE whole = 1");
        }
    }

    /**
     * After {@code bad} is made (by {@link #markFromPlan}, or {@link #markKeys} beside the plan): the invalid rows
     * leave the plan, the valid rows that share a match value as the destination compares them are marked
     * ({@link #markMatches}), and the rows of every key marked leave the plan ({@link #dropMarked}).
     */
    public static void takeMarked(Connection c, Tables t, InPlaceRows rows, boolean caseBlind) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("DELETE FROM " + t.plan() + " WHERE change = 'invalid'");
        }
        markMatches(c, t, rows, caseBlind);
        dropMarked(c, t);
    }

    /**
     * The statement that creates {@code bad} from the model in one aggregate: per key, the rows that share it or cannot
     * be sent, and the model's size. It reads the model alone, so it may run on a connection beside the one that runs
     * {@link #plan}, on the same snapshot of the model.
     */
    public static String markKeys(Tables t, InPlaceRows rows) {
        return marks(t, rows.rows());
    }

    /** Creates {@code bad} from the rows of {@code from} (key, invalid): per key, its rows, and all of them. */
    private static String marks(Tables t, String from) {
        return "CREATE TEMPORARY TABLE " + t.bad() + " AS SELECT key, CASE WHEN whole = 1 THEN NULL"
                + " WHEN key IS NOT NULL AND n > 1 THEN 'duplicate key: ' || n || ' rows of the model share it'"
                + " ELSE invalid END AS invalid, n, whole FROM (SELECT key, count(*) AS n, min(invalid) AS invalid,"
                + " GROUPING(key) AS whole FROM (" + from + ") AS r GROUP BY GROUPING SETS ((key), ()))"
                + " AS g WHERE whole = 1 OR n > 1 OR invalid IS NOT NULL";
    }

    /**
     * Adds to {@code bad} the valid rows that share a match value as the destination compares them, unless the match
     * value is the key compared exactly.
     */
    private static void markMatches(Connection c, Tables t, InPlaceRows rows, boolean caseBlind) throws SQLException {
        if (rows.matchIsKey() && !caseBlind) return;
        try (Statement st = c.createStatement()) {
            String m = caseBlind ? "lower(match)" : "match";
            String valid = "invalid IS NULL AND key NOT IN (" + badKeys(t) + ")";
            st.execute("INSERT INTO " + t.bad() + " (key, invalid, n, whole) SELECT r.key, 'duplicate match value: '"
                    + " || d.n || ' rows of the model share it" + (caseBlind ? " (compared case-blind, as the"
                    + " destination does)" : "") + "', 1, 0 FROM (" + rows.rows() + ") AS r JOIN (SELECT " + m
                    + " AS m, count(*) AS n FROM (" + rows.rows() + ") AS v WHERE " + valid + " GROUP BY " + m
                    + " HAVING count(*) > 1) AS d ON " + (caseBlind ? "lower(r.match)" : "r.match") + " = d.m"
                    + " WHERE r.invalid IS NULL AND r.key NOT IN (" + badKeys(t) + ")");
        }
    }

    /**
     * Takes out of {@code plan} the rows of the keys {@code bad} marks: the diff plans a key that several rows share as
     * it plans any other, so that it needs not wait for the marks.
     */
    private static void dropMarked(Connection c, Tables t) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("DELETE FROM " + t.plan() + " WHERE change <> 'removed' AND key IN (" + badKeys(t) + ")");
        }
    }

    private static String badKeys(Tables t) {
        return "SELECT key FROM " + t.bad() + " WHERE whole = 0 AND key IS NOT NULL";
    }

    /**
     * Creates {@code plan}: the model's rows that can be sent, full outer joined with the snapshot and the rows in
     * flight, as {@link PlanSql#plan} diffs a table of current rows (added, changed, removed; a row in flight is sent
     * again; an invalid row makes no removal). A row whose quick hash is the snapshot's takes its fingerprint; the
     * others' are computed, and those found unchanged are kept as {@code same} for {@link #settle}. It does not read
     * {@code bad}: the rows of a key several rows share are planned, and {@link #takeMarked} takes them out. It keeps
     * too, for the marks, the model's invalid rows ({@code change = 'invalid'}, with their {@code invalid} reason) and
     * says of each row whether it met no snapshot entry ({@code unpaired}).
     *
     * @param everyRow whether every current row is planned, changed or not (the sync's spec changed)
     */
    public static void plan(Connection c, Tables t, InPlaceRows rows, boolean everyRow, String sync)
            throws SQLException {
        if (!everyRow) differing(c, t, rows, sync);
        join(c, t, rows, everyRow, sync);
    }

    /**
     * Creates {@code keys}: the keys whose rows differ from the snapshot (and null, for the rows without a key), by a
     * join of each row's key and quick hash alone. Such a join costs about what a plain diff's join costs; carrying
     * each row's values and the snapshot's fingerprints through it cost as much again.
     */
    public static void differing(Connection c, Tables t, InPlaceRows rows, String sync) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("CREATE TEMPORARY TABLE " + t.keys() + " AS SELECT"
                + " coalesce(c.key, o.key) AS key FROM (SELECT key, invalid, quick FROM (" + rows.rows() + ") AS r)"
                + " AS c FULL OUTER JOIN (SELECT key, known, flying, quick FROM " + old(c, t, sync) + " AS s) AS o"
                + " ON o.key = c.key" + differs(false))) {
            PlanSql.bindSync(ps, sync);
            ps.execute();
        }
    }

    /**
     * The second step of {@link #plan}, creating {@code plan}: the join of the rows of the keys {@link #differing}
     * found (and of the rows without a key, which are invalid); of every row when {@code everyRow}, or when more than
     * {@link #MOST_JOINED} keys differ.
     */
    public static void join(Connection c, Tables t, InPlaceRows rows, boolean everyRow, String sync)
            throws SQLException {
        String old = old(c, t, sync);
        // Rows whose values are kept apart (the source's second pass) are every row's there when many differ.
        String current = "(" + rows.detail().orElse(rows.rows()) + ")";
        if (!everyRow && fewKeysDiffer(c, t)) {
            String keys = "SELECT key FROM " + t.keys() + " WHERE key IS NOT NULL";
            current = "(" + rows.rowsOf(keys) + ")";
            old = "(SELECT * FROM " + old + " AS s WHERE s.key IN (" + keys + "))";
        }
        String sql = "CREATE TEMPORARY TABLE " + t.plan() + " AS WITH old AS " + old
                + " SELECT coalesce(c.key, c.o_key) AS key, c.fp,"
                + " CASE WHEN c.key IS NULL THEN c.o_match ELSE c.match END AS match,"
                + " CASE WHEN c.key IS NULL OR c.change IN ('same', 'invalid') THEN NULL ELSE " + rows.payload()
                + " END AS payload, c.dest_id, c.change, false AS rematched,"
                + " CASE WHEN c.key IS NULL THEN c.o_field_hashes ELSE coalesce(c.o_field_hashes, c.l_field_hashes)"
                + " END AS field_hashes, CASE WHEN c.key IS NULL THEN c.last_sent ELSE c.delivered END AS delivered,"
                + " c.quick, c.invalid, c.o_key IS NULL AS unpaired"
                + " FROM (SELECT j.*, CASE WHEN j.invalid IS NOT NULL THEN 'invalid' WHEN j.key IS NULL THEN 'removed'"
                + " WHEN j.known IS NOT TRUE THEN 'added'"
                + " WHEN " + everyRow + " OR j.flying OR j.fp IS DISTINCT FROM j.o_fp THEN 'changed' ELSE 'same' END"
                + " AS change FROM (SELECT c.*, o.key AS o_key, o.known, o.flying, o.fp AS o_fp, o.match AS o_match,"
                + " o.dest_id, o.field_hashes AS o_field_hashes, l.field_hashes AS l_field_hashes, o.delivered,"
                + " o.last_sent, CASE WHEN c.key IS NULL OR c.invalid IS NOT NULL THEN NULL"
                + " WHEN o.quick = c.quick AND o.fp IS NOT NULL"
                + " THEN o.fp ELSE " + rows.fingerprint() + " END AS fp"
                + " FROM " + current + " AS c FULL OUTER JOIN old o ON o.key = c.key"
                + " LEFT JOIN " + t.leftFieldHashes() + " l ON l.sync = " + t.syncParameter() + " AND l.key = c.key"
                + differs(everyRow) + t.fence() + ") AS j) AS c"
                + " WHERE c.change <> 'same' OR c.quick IS NOT NULL";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            PlanSql.bindSync(ps, sync);
            ps.execute();
        }
    }

    /**
     * The most keys whose rows the second step joins alone; with more (a full sync), it joins every row, as one
     * statement would: PostgreSQL's filter by a set of keys larger than its memory for it reads the set again for
     * every row.
     */
    public static final long MOST_JOINED = 100_000;

    /** Whether {@code keys} holds no more than {@link #MOST_JOINED} keys: their rows are joined, or read, alone. */
    public static boolean fewKeysDiffer(Connection c, Tables t) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT count(*) FROM " + t.keys()
                + " WHERE key IS NOT NULL")) {
            rs.next();
            return rs.getLong(1) <= MOST_JOINED;
        }
    }

    /** Which rows of the join of the model's rows {@code c} with what was sent {@code o} differ. */
    private static String differs(boolean everyRow) {
        return " WHERE (c.key IS NULL AND o.key IS NOT NULL) OR c.invalid IS NOT NULL OR (c.key IS NOT NULL"
                + " AND (o.known IS NOT TRUE OR " + everyRow + " OR o.flying OR o.quick IS NULL OR c.quick IS NULL"
                + " OR o.quick <> c.quick))";
    }

    /**
     * What was sent as a query (key, known, flying, fp, quick, match, dest_id, field_hashes, delivered, last_sent; one
     * row per key), whose every parameter is the sync. Rows are in flight only after a run that did not end well; else
     * the snapshot alone is what was sent, and the diff joins the model with it directly (joining a million entries
     * with no row in flight cost PostgreSQL a tenth of the plan).
     */
    private static String old(Connection c, Tables t, String sync) throws SQLException {
        return inFlight(c, t, sync) ? "(SELECT coalesce(s.key, f.key) AS key, s.key IS NOT NULL AS known,"
                + " f.key IS NOT NULL AS flying, s.fp, s.quick,"
                + " CASE WHEN s.key IS NULL THEN f.match ELSE s.match END AS match, s.dest_id, s.field_hashes,"
                + " s.payload AS delivered, CASE WHEN s.key IS NULL THEN f.payload ELSE s.payload END AS last_sent"
                + " FROM (" + t.snapshot() + ") AS s FULL OUTER JOIN (" + t.inFlight() + ") AS f ON f.key = s.key)"
                : "(SELECT key, true AS known, false AS flying, fp, quick, match, dest_id, field_hashes,"
                + " payload AS delivered, payload AS last_sent FROM (" + t.snapshot() + ") AS s)";
    }

    private static boolean inFlight(Connection c, Tables t, String sync) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT EXISTS (SELECT 1 FROM (" + t.inFlight() + ") AS f)")) {
            PlanSql.bindSync(ps, sync);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }

    /**
     * Takes the unchanged rows out of the plan; first, when {@code snapshot} (the store's snapshot table, open for
     * writing) is given, keeps their quick hashes there, on the entries whose fingerprint is still the one computed,
     * so the next plan takes those fingerprints instead of computing them.
     */
    public static void settle(Connection c, Tables t, Optional<String> snapshot, String sync) throws SQLException {
        try (Statement st = c.createStatement()) {
            if (snapshot.isPresent()) {
                try (PreparedStatement ps = c.prepareStatement("UPDATE " + snapshot.get() + " SET quick = p.quick"
                        + " FROM " + t.plan() + " p WHERE snapshot.sync = ? AND snapshot.key = p.key"
                        + " AND snapshot.fp = p.fp AND p.change = 'same'")) {
                    ps.setString(1, sync);
                    ps.execute();
                }
            }
            st.execute("DELETE FROM " + t.plan() + " WHERE change = 'same'");
        }
    }

    /**
     * Marks the planned removals whose match value a valid current row holds (see {@link PlanSql#rematch}); reads the
     * model only when the plan removes something.
     */
    public static void rematch(Connection c, Tables t, InPlaceRows rows, boolean caseBlind) throws SQLException {
        try (Statement st = c.createStatement()) {
            try (ResultSet rs = st.executeQuery("SELECT count(*) FROM " + t.plan() + " WHERE change = 'removed'")) {
                rs.next();
                if (rs.getLong(1) == 0) return;
            }
            String m = caseBlind ? "lower(r.match)" : "r.match";
            st.execute("UPDATE " + t.plan() + " SET rematched = true WHERE change = 'removed' AND "
                    + (caseBlind ? "lower(" + t.plan() + ".match)" : t.plan() + ".match") + " IN (SELECT " + m
                    + " FROM (" + rows.rows() + ") AS r WHERE r.invalid IS NULL AND r.key NOT IN (" + badKeys(t)
                    + "))");
        }
    }

    /**
     * After the diff: the rows of the table {@code problems} ({@code key, reason}: what the destination's check
     * refused) become invalid, and leave the plan.
     */
    public static void invalidate(Connection c, Tables t, String problems) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("INSERT INTO " + t.bad() + " (key, invalid, n, whole) SELECT key, reason, 1, 0 FROM "
                    + problems);
            st.execute("DELETE FROM " + t.plan() + " WHERE change <> 'removed' AND key IN (SELECT key FROM "
                    + problems + ")");
        }
    }

    /** How the model's rows compare with the snapshot, by the plan they made. */
    public static PlanCounts counts(Connection c, Tables t) throws SQLException {
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT (SELECT coalesce(max(n), 0) FROM " + t.bad() + " WHERE whole = 1),"
                     + " (SELECT coalesce(sum(n), 0) FROM " + t.bad() + " WHERE whole = 0),"
                     + " count(*) FILTER (WHERE change = 'added'), count(*) FILTER (WHERE change = 'changed'),"
                     + " count(*) FILTER (WHERE change = 'removed') FROM " + t.plan())) {
            rs.next();
            long total = rs.getLong(1);
            long invalid = rs.getLong(2);
            long added = rs.getLong(3);
            long changed = rs.getLong(4);
            return new PlanCounts(total, added, changed, rs.getLong(5), total - invalid - added - changed, invalid);
        }
    }

    /** The query of the invalid rows of {@code bad}: a key, its reason, and how many rows of the model it stands for. */
    public static String invalidRows(Tables t) {
        return "SELECT key, invalid, n FROM " + t.bad() + " WHERE whole = 0 ORDER BY key";
    }

    /** A row of {@link #invalidRows} read: the invalid row, and how many rows of the model it stands for. */
    public record Counted(InvalidRow row, long rows) {
        public static Counted read(ResultSet rs) throws SQLException {
            return new Counted(new InvalidRow(rs.getString(1), rs.getString(2)), rs.getLong(3));
        }
    }

    /** The invalid rows, each as many times as the model has it. */
    public static RowCursor<InvalidRow> each(RowCursor<Counted> counted) {
        return new RowCursor<>() {
            private Counted current;
            private long left;

            @Override
            public InvalidRow next() throws StateException {
                while (left == 0) {
                    current = counted.next();
                    if (current == null) return null;
                    left = current.rows();
                }
                left--;
                return current.row();
            }

            @Override
            public void close() throws StateException {
                counted.close();
            }
        };
    }
}
