package dev.ebb.core.state.warehouse;

import dev.ebb.core.state.StateException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The tables of the warehouse-native state, in one schema of the source, created or checked when the store opens:
 * {@code meta} (the state's version), {@code syncs} (each sync's spec), {@code snapshot}, {@code in_flight},
 * {@code left_field_hashes}. Before creating anything it checks the rights it needs, so that a missing one is named
 * with the grant that gives it, not reported as the first statement that failed.
 */
final class WarehouseTables {
    /** The version of these tables this Ebb writes; a schema written by a newer one is refused, not misread. */
    static final int VERSION = 1;

    private WarehouseTables() {
    }

    /** Checks the rights, creates what is missing and checks the version. */
    static void prepare(Connection c, WarehouseDialect dialect, String schema, String source) throws StateException {
        try {
            checkRights(c, dialect, schema, source);
            String key = dialect.keyConstraint();
            List<String> ddl = new ArrayList<>();
            // PostgreSQL checks the right to create a schema before it sees that the schema exists.
            if (!schemaExists(c, schema)) ddl.add("CREATE SCHEMA IF NOT EXISTS " + schema);
            ddl.addAll(List.of(
                    "CREATE TABLE IF NOT EXISTS " + schema + ".meta(name VARCHAR PRIMARY KEY, value VARCHAR)",
                    "CREATE TABLE IF NOT EXISTS " + schema + ".syncs(sync VARCHAR PRIMARY KEY, spec_hash VARCHAR,"
                            + " spec VARCHAR, updated_at TIMESTAMP)",
                    // Keys and fingerprints, never values (but for add_remove syncs, whose removals send them again).
                    "CREATE TABLE IF NOT EXISTS " + schema + ".snapshot(sync VARCHAR NOT NULL, key VARCHAR NOT NULL,"
                            + " fp VARCHAR, match VARCHAR, dest_id VARCHAR, run_id BIGINT, field_hashes VARCHAR,"
                            + " payload VARCHAR" + key + ")",
                    // Rows sent whose effect on the destination is not known yet (Snapshots.markInFlight).
                    "CREATE TABLE IF NOT EXISTS " + schema + ".in_flight(sync VARCHAR, key VARCHAR, match VARCHAR,"
                            + " run_id BIGINT, payload VARCHAR)",
                    "CREATE TABLE IF NOT EXISTS " + schema + ".left_field_hashes(sync VARCHAR NOT NULL,"
                            + " key VARCHAR NOT NULL, field_hashes VARCHAR" + key + ")",
                    // Beside a fingerprint, the quick hash of the values it was computed from (InPlacePlanSql); it
                    // replaces the table of fingerprints an earlier Ebb kept apart.
                    "ALTER TABLE " + schema + ".snapshot ADD COLUMN IF NOT EXISTS quick BIGINT",
                    "DROP TABLE IF EXISTS " + schema + ".fingerprints"));
            ddl.addAll(dialect.indexes(schema));
            boolean autoCommit = c.getAutoCommit();
            c.setAutoCommit(false);
            try (Statement st = c.createStatement()) {
                for (String sql : ddl) st.execute(sql);
                Integer version = null;
                try (ResultSet rs = st.executeQuery("SELECT value FROM " + schema
                        + ".meta WHERE name = 'schema_version'")) {
                    if (rs.next()) version = Integer.parseInt(rs.getString(1));
                }
                if (version == null) {
                    st.execute("INSERT INTO " + schema + ".meta VALUES ('schema_version', '" + VERSION + "')");
                } else if (version > VERSION) {
                    c.rollback();
                    throw new StateException("the warehouse-native state in schema " + schema + " of source '"
                            + source + "' was written by a newer version of Ebb (v" + version + "; this Ebb reads up"
                            + " to v" + VERSION + "). Upgrade Ebb to use it; nothing was changed.", null);
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(autoCommit);
            }
        } catch (SQLException e) {
            throw new StateException("source '" + source + "' cannot keep the warehouse-native state in schema "
                    + schema + ": " + e.getMessage(), e);
        }
    }

    /** Names every right that is missing, with the statement that grants it. */
    private static void checkRights(Connection c, WarehouseDialect dialect, String schema, String source)
            throws SQLException, StateException {
        List<String> missing = new ArrayList<>();
        switch (dialect) {
            case DUCKDB -> {
                try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                        "SELECT readonly FROM duckdb_databases() WHERE database_name = current_database()")) {
                    if (rs.next() && rs.getBoolean(1)) {
                        missing.add("the DuckDB file is open read-only; Ebb opens it for writing only when the"
                                + " source says state: { store: warehouse }, and no other process may hold it");
                    }
                }
            }
            case POSTGRES -> {
                String role;
                String database;
                try (Statement st = c.createStatement();
                     ResultSet rs = st.executeQuery("SELECT current_user, current_database()")) {
                    rs.next();
                    role = rs.getString(1);
                    database = rs.getString(2);
                }
                boolean schemaExists;
                try (PreparedStatement ps = c.prepareStatement(
                        "SELECT count(*) FROM pg_namespace WHERE nspname = ?")) {
                    ps.setString(1, schema);
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        schemaExists = rs.getLong(1) > 0;
                    }
                }
                if (!schemaExists && !granted(c, "SELECT has_database_privilege(current_database(), 'CREATE')")) {
                    missing.add("schema " + schema + " does not exist and role " + role + " may not create it:"
                            + " CREATE SCHEMA " + schema + " AUTHORIZATION " + role + "; (or GRANT CREATE ON"
                            + " DATABASE " + database + " TO " + role + ";)");
                }
                if (schemaExists && !(granted(c, "SELECT has_schema_privilege('" + schema + "', 'USAGE')")
                        && granted(c, "SELECT has_schema_privilege('" + schema + "', 'CREATE')"))) {
                    missing.add("role " + role + " may not create tables in schema " + schema + ": GRANT USAGE,"
                            + " CREATE ON SCHEMA " + schema + " TO " + role + ";");
                }
                if (!granted(c, "SELECT has_database_privilege(current_database(), 'TEMPORARY')")) {
                    missing.add("role " + role + " may not create the plan's temporary tables: GRANT TEMPORARY ON"
                            + " DATABASE " + database + " TO " + role + ";");
                }
            }
        }
        if (!missing.isEmpty()) {
            throw new StateException("source '" + source + "' cannot keep the warehouse-native state (state: {"
                    + " store: warehouse, schema: " + schema + " }): " + String.join("; ", missing), null);
        }
    }

    private static boolean schemaExists(Connection c, String schema) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT count(*) FROM information_schema.schemata WHERE schema_name = ?")) {
            ps.setString(1, schema);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getLong(1) > 0;
            }
        }
    }

    private static boolean granted(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            return rs.next() && rs.getBoolean(1);
        }
    }
}
