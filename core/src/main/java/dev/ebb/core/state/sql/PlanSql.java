package dev.ebb.core.state.sql;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The diff every SQL store runs (the embedded DuckDB, the PostgreSQL store, a warehouse's own state): the model's
 * current rows against the sync's snapshot and its rows in flight, as a few statements each engine runs vectorised
 * or in one hash join. Each store says where its tables are and how it reads a sync's snapshot; the statements are
 * the same. Stateless.
 *
 * <p>The current rows' table ({@link Tables#cur}) has the columns {@code key, fp, match, invalid} and either
 * {@code payload} or the texts its payload is written from. The plan has the columns of
 * {@link StateRows#PLANNED_COLUMNS}.
 */
public final class PlanSql {
    private PlanSql() {
    }

    /**
     * A store's tables for one plan.
     *
     * @param cur             the current rows' table
     * @param snapshot        the sync's snapshot as a query (key, fp, match, dest_id, field_hashes, payload), whose
     *                        every parameter is the sync's name
     * @param inFlight        the sync's rows in flight (key, match, payload; one row per key: its earliest unsettled
     *                        attempt), every parameter the sync's name
     * @param leftFieldHashes the table of field hashes of rows that left the model
     * @param syncParameter   how a statement names its parameter (the sync): {@code ?}, or {@code $1}
     */
    public record Tables(String cur, String snapshot, String inFlight, String leftFieldHashes,
                         String syncParameter) {
    }

    /**
     * The statements that make every row invalid whose key, or match value as the destination compares them, is held
     * by several rows of the model: none of them can be delivered without guessing which row wins. One aggregate per
     * column, so that a model without duplicates costs a hash of its keys, not a sort.
     */
    public static void markDuplicates(Connection c, String cur, boolean caseBlind) throws SQLException {
        try (Statement st = c.createStatement()) {
            for (String mark : markings(cur, caseBlind)) st.execute(mark);
        }
    }

    private static List<String> markings(String cur, boolean caseBlind) {
        List<String> statements = new ArrayList<>();
        statements.add("UPDATE " + cur + " SET invalid = 'duplicate key: ' || d.n || ' rows of the model share it',"
                + " fp = NULL FROM (SELECT key, count(*) AS n FROM " + cur + " WHERE key IS NOT NULL GROUP BY key"
                + " HAVING count(*) > 1) d WHERE " + cur + ".key = d.key");
        String match = caseBlind ? "lower(match)" : "match";
        statements.add("UPDATE " + cur + " SET invalid = 'duplicate match value: ' || d.n || ' rows of the model"
                + " share it" + (caseBlind ? " (compared case-blind, as the destination does)" : "") + "', fp = NULL"
                + " FROM (SELECT " + match + " AS m, count(*) AS n FROM " + cur + " WHERE match IS NOT NULL AND"
                + " invalid IS NULL GROUP BY " + match + " HAVING count(*) > 1) d WHERE "
                + (caseBlind ? "lower(" + cur + ".match)" : cur + ".match") + " = d.m AND " + cur
                + ".invalid IS NULL");
        return statements;
    }

    /**
     * The plan's rows as one query: a full outer join of the current rows with the snapshot's (added, changed,
     * removed), as a plain diff of two tables is. A row still in flight (sent, outcome unknown) may have reached the
     * destination, so the snapshot's fingerprint does not vouch for it: it is sent again, or, when it left the
     * model, removed even if the snapshot never knew it (with the match value and values of its earliest unsettled
     * attempt). A current row that is invalid is not planned, and does not make its snapshot row removed.
     *
     * <p>{@code rematched} is false here; {@link #rematch} sets it for removals whose match value a current row
     * takes over. Every parameter of the query is the sync's name.
     *
     * @param payload  the payload of a current row aliased {@code c}
     * @param everyRow whether every current row is planned, changed or not (the sync's spec changed)
     */
    public static String plan(Tables t, String payload, boolean everyRow) {
        return "WITH snap AS (" + t.snapshot() + "), flight AS (" + t.inFlight() + "),"
                + " old AS (SELECT coalesce(s.key, f.key) AS key, s.key IS NOT NULL AS known,"
                + " f.key IS NOT NULL AS flying, s.fp, CASE WHEN s.key IS NULL THEN f.match ELSE s.match END AS match,"
                + " s.dest_id, s.field_hashes, s.payload AS delivered,"
                + " CASE WHEN s.key IS NULL THEN f.payload ELSE s.payload END AS last_sent"
                + " FROM snap s FULL OUTER JOIN flight f ON f.key = s.key)"
                + " SELECT coalesce(c.key, o.key) AS key, c.fp,"
                + " CASE WHEN c.key IS NULL THEN o.match ELSE c.match END AS match,"
                + " CASE WHEN c.key IS NULL THEN NULL ELSE " + payload + " END AS payload, o.dest_id,"
                + " CASE WHEN c.key IS NULL THEN 'removed' WHEN o.known THEN 'changed' ELSE 'added' END AS change,"
                + " false AS rematched,"
                + " CASE WHEN c.key IS NULL THEN o.field_hashes ELSE coalesce(o.field_hashes, l.field_hashes) END"
                + " AS field_hashes,"
                + " CASE WHEN c.key IS NULL THEN o.last_sent ELSE o.delivered END AS delivered,"
                + " CAST(NULL AS BIGINT) AS quick"
                + " FROM " + t.cur() + " c FULL OUTER JOIN old o ON o.key = c.key"
                + " LEFT JOIN " + t.leftFieldHashes() + " l ON l.sync = " + t.syncParameter() + " AND l.key = c.key"
                + " WHERE (c.key IS NULL AND o.key IS NOT NULL)"
                + " OR (c.key IS NOT NULL AND c.invalid IS NULL AND (o.known IS NOT TRUE OR " + everyRow
                + " OR o.fp IS DISTINCT FROM c.fp OR o.flying))";
    }

    /**
     * After the diff: the rows of the table {@code problems} ({@code key, reason}: what the destination's check
     * refused) become invalid in {@code cur}, and leave the plan.
     */
    public static void invalidate(Connection c, String cur, String plan, String problems) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("UPDATE " + cur + " SET invalid = p.reason, fp = NULL FROM " + problems + " p WHERE " + cur
                    + ".key = p.key");
            st.execute("DELETE FROM " + plan + " WHERE change <> 'removed' AND key IN (SELECT key FROM " + problems
                    + ")");
        }
    }

    /** Binds the sync's name to every parameter of a statement of {@link #plan}. */
    public static void bindSync(PreparedStatement statement, String sync) throws SQLException {
        int parameters = statement.getParameterMetaData().getParameterCount();
        for (int i = 1; i <= parameters; i++) statement.setString(i, sync);
    }

    /**
     * Marks the planned removals whose match value a valid current row holds (the record is taken over, not
     * removed: see {@code Operations}); nothing to do, and no statement beyond a count, when the plan removes nothing.
     */
    public static void rematch(Connection c, String plan, String cur, boolean caseBlind) throws SQLException {
        try (Statement st = c.createStatement()) {
            try (ResultSet rs = st.executeQuery("SELECT count(*) FROM " + plan + " WHERE change = 'removed'")) {
                rs.next();
                if (rs.getLong(1) == 0) return;
            }
            String m = caseBlind ? "lower(match)" : "match";
            st.execute("UPDATE " + plan + " SET rematched = true WHERE change = 'removed' AND "
                    + (caseBlind ? "lower(" + plan + ".match)" : plan + ".match") + " IN (SELECT " + m + " FROM "
                    + cur + " WHERE invalid IS NULL)");
        }
    }
}
