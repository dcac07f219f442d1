package dev.ebb.core.state.duckdb;

import dev.ebb.core.state.StateException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;

/** The tables of the embedded store, created or brought up to date when it opens. */
final class DuckDbSchema {
    /** The schema this version writes; a file with a newer one is refused rather than misread. */
    static final int VERSION = 1;

    private DuckDbSchema() {
    }

    /**
     * Checks the file's schema version, and unless the file is only looked at, creates what is missing.
     *
     * @param existingReadOnly whether an existing file is opened read-only (nothing may be created)
     */
    static void prepare(Connection root, DuckDb db, String shown, boolean existingReadOnly)
            throws SQLException, StateException {
        try (Statement st = root.createStatement()) {
            checkIsOurs(st, shown);
            if (!existingReadOnly) {
                st.execute("CREATE TABLE IF NOT EXISTS ebb_meta(name VARCHAR PRIMARY KEY, value VARCHAR)");
            }
            Optional<Integer> version = Optional.empty();
            try (ResultSet rs = st.executeQuery("SELECT value FROM ebb_meta WHERE name = 'schema_version'")) {
                if (rs.next()) version = Optional.of(Integer.parseInt(rs.getString(1)));
            }
            if (version.isPresent() && version.get() > VERSION) {
                throw new StateException("the state store " + shown + " was written by a newer version of Ebb "
                        + "(state schema v" + version.get() + "; this Ebb reads up to v" + VERSION
                        + "). Upgrade Ebb to use it; nothing was changed.", null);
            }
            if (existingReadOnly) return;
            st.execute("""
                    CREATE TABLE IF NOT EXISTS syncs(sync VARCHAR PRIMARY KEY, spec_hash VARCHAR, spec VARCHAR,
                        updated_at TIMESTAMP)""");
            // The snapshot is two tables: a compacted one, and a log that batch commits append to (see
            // DuckDbSnapshots).
            st.execute("""
                    CREATE TABLE IF NOT EXISTS snapshot(sync VARCHAR, key VARCHAR, fp VARCHAR, match VARCHAR,
                        dest_id VARCHAR, run_id BIGINT)""");
            st.execute("""
                    CREATE TABLE IF NOT EXISTS snapshot_log(sync VARCHAR, key VARCHAR, fp VARCHAR, match VARCHAR,
                        dest_id VARCHAR, run_id BIGINT, seq BIGINT, dropped BOOLEAN)""");
            // Per field of a respect_manual_edits mapping, a hash of the value Ebb last wrote (never the value).
            st.execute("ALTER TABLE snapshot ADD COLUMN IF NOT EXISTS field_hashes VARCHAR");
            st.execute("ALTER TABLE snapshot_log ADD COLUMN IF NOT EXISTS field_hashes VARCHAR");
            // The field hashes of rows that left the model: a row that comes back must still recognise the values
            // Ebb wrote to its record, or it would take them for a person's edits.
            // For add_remove syncs only, the values last delivered (Payload's encoding): a removal must send the
            // audience the same identifiers again. Kept beside the in-flight mark too, for a row that leaves the
            // model while its addition's outcome is unknown.
            st.execute("ALTER TABLE snapshot ADD COLUMN IF NOT EXISTS payload VARCHAR");
            st.execute("ALTER TABLE snapshot_log ADD COLUMN IF NOT EXISTS payload VARCHAR");
            st.execute("CREATE TABLE IF NOT EXISTS left_field_hashes(sync VARCHAR, key VARCHAR, field_hashes VARCHAR)");
            // Beside a fingerprint, the quick hash of the values it was computed from (InPlacePlanSql): a plan takes
            // the fingerprint of a row whose values hash the same instead of computing it. It replaces the table
            // of fingerprints an earlier Ebb kept apart.
            st.execute("ALTER TABLE snapshot ADD COLUMN IF NOT EXISTS quick BIGINT");
            st.execute("ALTER TABLE snapshot_log ADD COLUMN IF NOT EXISTS quick BIGINT");
            st.execute("DROP TABLE IF EXISTS fingerprints");
            st.execute("""
                    CREATE TABLE IF NOT EXISTS conflicts(sync VARCHAR, key VARCHAR, field VARCHAR, base_hash VARCHAR,
                        destination_value VARCHAR, warehouse_value VARCHAR, run_id BIGINT, detected_at TIMESTAMP,
                        status VARCHAR, resolution VARCHAR, resolved_at TIMESTAMP)""");
            st.execute("CREATE SEQUENCE IF NOT EXISTS run_ids START 1");
            st.execute("""
                    CREATE TABLE IF NOT EXISTS runs(run_id BIGINT PRIMARY KEY, sync VARCHAR, started_at TIMESTAMP,
                        finished_at TIMESTAMP, status VARCHAR, added BIGINT, changed BIGINT, removed BIGINT,
                        unchanged BIGINT, invalid BIGINT, delivered BIGINT, rejected BIGINT, failed BIGINT,
                        skipped BIGINT, api_calls BIGINT, throttles BIGINT, retries BIGINT, message VARCHAR)""");
            st.execute("ALTER TABLE runs ADD COLUMN IF NOT EXISTS plan_hash VARCHAR");
            st.execute("ALTER TABLE runs ADD COLUMN IF NOT EXISTS read_calls BIGINT");
            st.execute("ALTER TABLE runs ADD COLUMN IF NOT EXISTS conflicts BIGINT");
            st.execute("ALTER TABLE runs ADD COLUMN IF NOT EXISTS decision VARCHAR");
            st.execute("ALTER TABLE runs ADD COLUMN IF NOT EXISTS decided_at TIMESTAMP");
            // When the run's last batch commit landed: a run whose process died ends there (see closeAbandonedRuns).
            st.execute("ALTER TABLE runs ADD COLUMN IF NOT EXISTS last_commit_at TIMESTAMP");
            st.execute("""
                    CREATE TABLE IF NOT EXISTS quota_usage(account VARCHAR, day DATE, calls BIGINT,
                        PRIMARY KEY (account, day))""");
            // Quotas over a rolling 24 hours (Salesforce's) are counted in hourly buckets.
            st.execute("""
                    CREATE TABLE IF NOT EXISTS quota_hours(account VARCHAR, hour TIMESTAMP, calls BIGINT,
                        PRIMARY KEY (account, hour))""");
            // Rows sent whose effect on the destination is not known: see Snapshots.markInFlight. Appended before
            // each call, deleted as outcomes settle, so it holds little more than the batch in flight.
            st.execute("""
                    CREATE TABLE IF NOT EXISTS in_flight(sync VARCHAR, key VARCHAR, match VARCHAR, run_id BIGINT)""");
            st.execute("ALTER TABLE in_flight ADD COLUMN IF NOT EXISTS payload VARCHAR");
            st.execute("""
                    CREATE TABLE IF NOT EXISTS outcomes(run_id BIGINT, sync VARCHAR, key VARCHAR, change VARCHAR,
                        operation VARCHAR, outcome VARCHAR, reason VARCHAR, fp VARCHAR, logged_at TIMESTAMP)""");
            // ebb serve: its API tokens (only their SHA-256) and the audit log of actions taken through it.
            st.execute("""
                    CREATE TABLE IF NOT EXISTS api_tokens(name VARCHAR PRIMARY KEY, role VARCHAR, hash VARCHAR UNIQUE,
                        created_at TIMESTAMP, expires_at TIMESTAMP, revoked_at TIMESTAMP)""");
            st.execute("CREATE SEQUENCE IF NOT EXISTS audit_ids START 1");
            st.execute("""
                    CREATE TABLE IF NOT EXISTS audit_log(id BIGINT PRIMARY KEY, acted_at TIMESTAMP, actor VARCHAR,
                        action VARCHAR, sync VARCHAR, run_id BIGINT, detail VARCHAR)""");
            if (version.isEmpty()) {
                st.execute("INSERT INTO ebb_meta VALUES ('schema_version', '" + VERSION + "')");
            }
            try (ResultSet rs = st.executeQuery("SELECT coalesce(max(seq), 0) FROM snapshot_log")) {
                rs.next();
                db.seq.set(rs.getLong(1));
            }
        }
    }

    /**
     * Refuses a DuckDB database of another program (say, the lakehouse), which would otherwise get Ebb's tables
     * written into it, and a file shorter than its header says (truncated).
     */
    private static void checkIsOurs(Statement st, String shown) throws SQLException, StateException {
        try (ResultSet rs = st.executeQuery("""
                SELECT count(*) FILTER (WHERE table_name = 'ebb_meta'), count(*) FROM duckdb_tables()
                WHERE database_name = current_database()""")) {
            rs.next();
            if (rs.getLong(1) == 0 && rs.getLong(2) > 0) {
                throw StateFiles.foreign(shown, "it is a DuckDB database of another program (" + rs.getLong(2)
                        + " tables, none of them Ebb's)");
            }
        }
    }
}
