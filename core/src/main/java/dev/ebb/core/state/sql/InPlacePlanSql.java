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
 * materialised: one aggregate over it finds the rows that cannot be sent (a null key, a value that does not convert,
 * a key or match value several rows share) and counts it; one full outer join of it with the snapshot is the diff,
 * as a plain diff of two tables is. Only the planned and the invalid rows are kept, in temporary tables.
 *
 * <p><b>Fingerprints kept by quick hash.</b> The snapshot keeps, beside a row's fingerprint, the quick hash of the
 * values it was computed from ({@code quick}; {@code Dialect#quickHash}). Where a current row's quick hash is the
 * snapshot's, its fingerprint is the snapshot's and is not computed: the SHA-256 of a row in SQL costs more than
 * the whole join. The others' fingerprints are computed; those that turn out unchanged ({@code same}) teach the
 * snapshot their quick hash ({@link #settle}), which a commit leaves null. Two different rows of one key share a
 * quick hash with a chance of 2^-63; the hash's seed names the mapping, the conversions and the columns' types.
 *
 * <p>The tables: {@code bad} ({@code key, invalid, n, whole}: per key the reason its {@code n} rows cannot be sent,
 * and one row, {@code whole = 1}, with the number of the model's rows), and {@code plan}, with the columns of
 * {@link StateRows#PLANNED_COLUMNS} and {@code quick}. Stateless.
 */
public final class InPlacePlanSql {
    private InPlacePlanSql() {
    }

    /**
     * A store's tables for one plan.
     *
     * @param bad             the table of rows that cannot be sent, created by {@link #mark}
     * @param plan            the plan's table, created by {@link #plan}
     * @param snapshot        the sync's snapshot as a query (key, fp, quick, match, dest_id, field_hashes, payload),
     *                        whose every parameter is the sync's name
     * @param inFlight        the sync's rows in flight (key, match, payload; one row per key), the same parameters
     * @param leftFieldHashes the table of field hashes of rows that left the model
     * @param syncParameter   how a statement names its parameter (the sync): {@code ?}, or {@code $1}
     * @param fence           what ends a subquery whose columns the engine must compute once per row (see
     *                        {@code Dialect#fence})
     */
    public record Tables(String bad, String plan, String snapshot, String inFlight, String leftFieldHashes,
                         String syncParameter, String fence) {
    }

    /**
     * Creates {@code bad}: in one aggregate over the model, per key, the rows that share it or cannot be sent, and the
     * model's size ({@link #markKeys}); then, unless the match value is the key compared exactly, the valid rows that
     * share a match value as the destination compares them ({@link #markMatches}).
     */
    public static void mark(Connection c, Tables t, InPlaceRows rows, boolean caseBlind) throws SQLException {
        markKeys(c, t, rows);
        markMatches(c, t, rows, caseBlind);
    }

    /**
     * Creates {@code bad} with the keys of the model that cannot be sent and its size. It reads the model alone, so it
     * may run on a connection beside the one that runs {@link #plan}, on the same snapshot of the model.
     */
    public static void markKeys(Connection c, Tables t, InPlaceRows rows) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute(markKeys(t, rows));
        }
    }

    /** The statement of {@link #markKeys}, for a caller that runs it on a statement it may cancel. */
    public static String markKeys(Tables t, InPlaceRows rows) {
        return "CREATE TEMPORARY TABLE " + t.bad() + " AS SELECT key, CASE WHEN whole = 1 THEN NULL"
                + " WHEN key IS NOT NULL AND n > 1 THEN 'duplicate key: ' || n || ' rows of the model share it'"
                + " ELSE invalid END AS invalid, n, whole FROM (SELECT key, count(*) AS n, min(invalid) AS invalid,"
                + " GROUPING(key) AS whole FROM (" + rows.rows() + ") AS r GROUP BY GROUPING SETS ((key), ()))"
                + " AS g WHERE whole = 1 OR n > 1 OR invalid IS NOT NULL";
    }

    /**
     * Adds to {@code bad} (made by {@link #markKeys}) the valid rows that share a match value as the destination
     * compares them, unless the match value is the key compared exactly.
     */
    public static void markMatches(Connection c, Tables t, InPlaceRows rows, boolean caseBlind) throws SQLException {
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
     * Takes out of {@code plan} the rows of the keys {@code bad} marks (after both {@link #plan} and {@link #mark}):
     * the diff plans a key that several rows share as it plans any other, so that it needs not wait for the marks.
     */
    public static void dropMarked(Connection c, Tables t) throws SQLException {
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
     * {@code bad}: the rows of a key several rows share are planned, and {@link #dropMarked} takes them out.
     *
     * @param everyRow whether every current row is planned, changed or not (the sync's spec changed)
     */
    public static void plan(Connection c, Tables t, InPlaceRows rows, boolean everyRow, String sync)
            throws SQLException {
        // Rows are in flight only after a run that did not end well; else the snapshot alone is what was sent, and
        // the diff joins the model with it directly (joining a million entries with no row in flight cost PostgreSQL
        // a tenth of the plan).
        String old = inFlight(c, t, sync) ? "(SELECT coalesce(s.key, f.key) AS key, s.key IS NOT NULL AS known,"
                + " f.key IS NOT NULL AS flying, s.fp, s.quick,"
                + " CASE WHEN s.key IS NULL THEN f.match ELSE s.match END AS match, s.dest_id, s.field_hashes,"
                + " s.payload AS delivered, CASE WHEN s.key IS NULL THEN f.payload ELSE s.payload END AS last_sent"
                + " FROM (" + t.snapshot() + ") AS s FULL OUTER JOIN (" + t.inFlight() + ") AS f ON f.key = s.key)"
                : "(SELECT key, true AS known, false AS flying, fp, quick, match, dest_id, field_hashes,"
                + " payload AS delivered, payload AS last_sent FROM (" + t.snapshot() + ") AS s)";
        String sql = "CREATE TEMPORARY TABLE " + t.plan() + " AS WITH old AS " + old
                + " SELECT coalesce(c.key, c.o_key) AS key, c.fp,"
                + " CASE WHEN c.key IS NULL THEN c.o_match ELSE c.match END AS match,"
                + " CASE WHEN c.key IS NULL OR c.change = 'same' THEN NULL ELSE " + rows.payload() + " END AS payload,"
                + " c.dest_id, c.change, false AS rematched,"
                + " CASE WHEN c.key IS NULL THEN c.o_field_hashes ELSE coalesce(c.o_field_hashes, c.l_field_hashes)"
                + " END AS field_hashes, CASE WHEN c.key IS NULL THEN c.last_sent ELSE c.delivered END AS delivered,"
                + " c.quick"
                + " FROM (SELECT j.*, CASE WHEN j.key IS NULL THEN 'removed' WHEN j.known IS NOT TRUE THEN 'added'"
                + " WHEN " + everyRow + " OR j.flying OR j.fp IS DISTINCT FROM j.o_fp THEN 'changed' ELSE 'same' END"
                + " AS change FROM (SELECT c.*, o.key AS o_key, o.known, o.flying, o.fp AS o_fp, o.match AS o_match,"
                + " o.dest_id, o.field_hashes AS o_field_hashes, l.field_hashes AS l_field_hashes, o.delivered,"
                + " o.last_sent, CASE WHEN c.key IS NULL THEN NULL WHEN o.quick = c.quick AND o.fp IS NOT NULL"
                + " THEN o.fp ELSE " + rows.fingerprint() + " END AS fp"
                + " FROM (" + rows.rows() + ") AS c FULL OUTER JOIN old o ON o.key = c.key"
                + " LEFT JOIN " + t.leftFieldHashes() + " l ON l.sync = " + t.syncParameter() + " AND l.key = c.key"
                + " WHERE (c.key IS NULL AND o.key IS NOT NULL) OR (c.key IS NOT NULL AND c.invalid IS NULL"
                + " AND (o.known IS NOT TRUE OR " + everyRow + " OR o.flying"
                + " OR o.quick IS NULL OR c.quick IS NULL OR o.quick <> c.quick))" + t.fence() + ") AS j) AS c"
                + " WHERE c.change <> 'same' OR c.quick IS NOT NULL";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            PlanSql.bindSync(ps, sync);
            ps.execute();
        }
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
