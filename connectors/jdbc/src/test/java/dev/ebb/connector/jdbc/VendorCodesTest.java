package dev.ebb.connector.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.pool.HikariPool;
import dev.ebb.connector.jdbc.internal.SqlProblem;
import dev.ebb.connector.jdbc.internal.SqlProblems;
import dev.ebb.connector.jdbc.internal.VendorCodes;
import dev.ebb.spi.SourceException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Failures classified by SQLSTATE, vendor code and exception type, as each driver reports them (the codes from the
 * vendors' error references, cited in each connector).
 */
class VendorCodesTest {
    /** Each vendor overrides {@code codes()} in this package, so the test reads them directly. */
    private static Optional<SqlProblem> problem(VendorCodes vendor, SQLException e) {
        return SqlProblems.problem(e, vendor);
    }

    @Test
    void standardSqlStatesNameTheProblem() {
        VendorCodes none = VendorCodes.NONE;
        assertThat(SqlProblems.problem(new SQLException("x", "28P01"), none)).contains(SqlProblem.AUTHENTICATION);
        assertThat(SqlProblems.problem(new SQLException("x", "28000"), none)).contains(SqlProblem.AUTHENTICATION);
        assertThat(SqlProblems.problem(new SQLException("x", "08001"), none)).contains(SqlProblem.NETWORK);
        assertThat(SqlProblems.problem(new SQLException("x", "42501"), none)).contains(SqlProblem.PERMISSION);
        assertThat(SqlProblems.problem(new SQLException("x", "3D000"), none)).contains(SqlProblem.MISSING_DATABASE);
        assertThat(SqlProblems.problem(new SQLException("x", "3F000"), none)).contains(SqlProblem.MISSING_SCHEMA);
        assertThat(SqlProblems.problem(new SQLException("x", "42P01"), none)).contains(SqlProblem.MISSING_TABLE);
        assertThat(SqlProblems.problem(new SQLException("x", "42S02"), none)).contains(SqlProblem.MISSING_TABLE);
        assertThat(SqlProblems.problem(new SQLException("x", "42703"), none)).as("a missing column is the model's")
                .isEmpty();
        assertThat(SqlProblems.problem(new SQLException("syntax", "42601"), none)).isEmpty();
    }

    @Test
    void theServersReasonWinsOverThePoolsTimeoutThatWrapsIt() {
        SQLException wrapped = new SQLTransientConnectionException("ebb-source-wh - Connection is not available",
                null, 0, new SQLException("password authentication failed", "28P01"));
        assertThat(SqlProblems.problem(wrapped, VendorCodes.NONE)).contains(SqlProblem.AUTHENTICATION);
        assertThat(SqlProblems.problem(new SQLTransientConnectionException("timed out"), VendorCodes.NONE))
                .contains(SqlProblem.NETWORK);
        assertThat(SqlProblems.problem(new SQLException("io", null, 0, new UnknownHostException("nohost")),
                VendorCodes.NONE)).contains(SqlProblem.NETWORK);
        assertThat(SqlProblems.problem(new HikariPool.PoolInitializationException(
                new SQLException("refused", null, 0, new ConnectException())), VendorCodes.NONE))
                .contains(SqlProblem.NETWORK);
    }

    @Test
    void mySqlsErrorNumbers() {
        var mysql = new MySqlConnector();
        assertThat(problem(mysql.codes(), new SQLException("Access denied for user", "28000", 1045)))
                .contains(SqlProblem.AUTHENTICATION);
        assertThat(problem(mysql.codes(), new SQLException("Access denied to database", "42000", 1044)))
                .contains(SqlProblem.PERMISSION);
        assertThat(problem(mysql.codes(), new SQLException("SELECT command denied", "42000", 1142)))
                .contains(SqlProblem.PERMISSION);
        assertThat(problem(mysql.codes(), new SQLException("Unknown database", "42000", 1049)))
                .contains(SqlProblem.MISSING_SCHEMA);
        assertThat(problem(mysql.codes(), new SQLException("Table doesn't exist", "42S02", 1146)))
                .contains(SqlProblem.MISSING_TABLE);
        assertThat(problem(mysql.codes(), new SQLException("Communications link failure", "08S01", 0)))
                .contains(SqlProblem.NETWORK);
        assertThat(problem(mysql.codes(), new SQLException("Unknown column", "42S22", 1054))).isEmpty();
    }

    @Test
    void snowflakesErrorCodes() {
        var snowflake = new SnowflakeConnector();
        assertThat(problem(snowflake.codes(), new SQLException("Incorrect username or password", "08004", 390100)))
                .contains(SqlProblem.AUTHENTICATION);
        assertThat(problem(snowflake.codes(), new SQLException("JWT token is invalid", "08004", 390144)))
                .contains(SqlProblem.AUTHENTICATION);
        assertThat(problem(snowflake.codes(), new SQLException("Object does not exist or not authorized", "02000", 2003)))
                .contains(SqlProblem.MISSING_TABLE);
        assertThat(problem(snowflake.codes(), new SQLException("Insufficient privileges", "42501", 3001)))
                .contains(SqlProblem.PERMISSION);
    }

    @Test
    void trinosStandardErrorCodes() {
        var trino = new TrinoConnector();
        assertThat(problem(trino.codes(), new SQLException("Access Denied", null, 4))).contains(SqlProblem.PERMISSION);
        assertThat(problem(trino.codes(), new SQLException("Catalog 'x' not found", null, 44)))
                .contains(SqlProblem.MISSING_DATABASE);
        assertThat(problem(trino.codes(), new SQLException("Schema 'x' does not exist", null, 45)))
                .contains(SqlProblem.MISSING_SCHEMA);
        assertThat(problem(trino.codes(), new SQLException("Table 'x' does not exist", null, 46)))
                .contains(SqlProblem.MISSING_TABLE);
        assertThat(problem(trino.codes(), new SQLException("Column 'x' cannot be resolved", null, 47))).isEmpty();
    }

    @Test
    void clickHousesErrorCodes() {
        var clickhouse = new ClickHouseConnector();
        assertThat(problem(clickhouse.codes(), new SQLException("Authentication failed", null, 516)))
                .contains(SqlProblem.AUTHENTICATION);
        assertThat(problem(clickhouse.codes(), new SQLException("Not enough privileges", null, 497)))
                .contains(SqlProblem.PERMISSION);
        assertThat(problem(clickhouse.codes(), new SQLException("Database x does not exist", null, 81)))
                .contains(SqlProblem.MISSING_SCHEMA);
        assertThat(problem(clickhouse.codes(), new SQLException("Table x does not exist", null, 60)))
                .contains(SqlProblem.MISSING_TABLE);
    }

    @Test
    void databricksAndRedshiftSqlStates() {
        // Redshift has no codes of its own: PostgreSQL's SQLSTATEs, which the standard rules read.
        assertThat(problem(new DatabricksConnector().codes(), new SQLException("[SCHEMA_NOT_FOUND]", "42704")))
                .contains(SqlProblem.MISSING_SCHEMA);
        assertThat(problem(new DatabricksConnector().codes(), new SQLException("[TABLE_OR_VIEW_NOT_FOUND]", "42P01")))
                .contains(SqlProblem.MISSING_TABLE);
        assertThat(problem(VendorCodes.NONE, new SQLException("permission denied", "42501")))
                .contains(SqlProblem.PERMISSION);
        assertThat(problem(VendorCodes.NONE, new SQLException("undefined object", "42704")))
                .as("42704 means a missing schema only on Databricks").isEmpty();
    }

    @Test
    void aQueryFailureIsUnreachableOnlyWhenTheConnectionOrGrantsAreAtFault() {
        SourceException grants = SqlProblems.ofQuery("wh", new SQLException("denied", "42501"), VendorCodes.NONE);
        assertThat(grants.unreachable()).isTrue();
        assertThat(grants.getMessage()).isEqualTo("source 'wh': permission: denied [42501]; grant the source's user"
                + " USAGE on the schema and SELECT on the model's tables");
        SourceException typo = SqlProblems.ofQuery("wh", new SQLException("syntax error", "42601"), VendorCodes.NONE);
        assertThat(typo.unreachable()).isFalse();
        assertThat(typo.getMessage()).isEqualTo("source 'wh': syntax error [42601]");
        SourceException connect = SqlProblems.ofConnect("wh", new SQLException("odd"), VendorCodes.NONE);
        assertThat(connect.unreachable()).as("any failure to connect stops the run as could not run").isTrue();
    }
}
