package dev.ebb.connector.jdbc;

import dev.ebb.connector.jdbc.internal.JdbcSourceConnector;
import dev.ebb.connector.support.Settings;
import dev.ebb.spi.ConnectorOption;
import dev.ebb.spi.SqlEngine;
import java.util.List;

/**
 * {@code type: redshift}, through Amazon's Redshift JDBC driver
 * (https://docs.aws.amazon.com/redshift/latest/mgmt/jdbc20-build-connection-url.html). Redshift speaks PostgreSQL's
 * SQLSTATEs, and like PostgreSQL's driver its driver streams through a cursor only with auto-commit off and a fetch
 * size, as every JDBC source runs. Stateless and thread-safe.
 *
 * <pre>
 * sources:
 *   rs: { type: redshift, host: examplecluster.abc123.us-west-2.redshift.amazonaws.com, database: dev,
 *         schema: marts, user: ebb, password: "${env:REDSHIFT_PASSWORD}" }
 * </pre>
 */
public final class RedshiftConnector extends JdbcSourceConnector {
    static final String EXAMPLE = "jdbc:redshift://examplecluster.abc123.us-west-2.redshift.amazonaws.com:5439/dev";

    @Override
    public String type() {
        return "redshift";
    }

    @Override
    protected String driverClass() {
        return "com.amazon.redshift.Driver";
    }

    @Override
    protected String driverCoordinates() {
        return "com.amazon.redshift:redshift-jdbc42";
    }

    @Override
    protected String urlPrefix() {
        return "jdbc:redshift:";
    }

    @Override
    protected String urlExample() {
        return EXAMPLE;
    }

    @Override
    protected String dialect() {
        return SqlEngine.REDSHIFT;
    }

    @Override
    protected List<ConnectorOption> vendorOptions() {
        return Address.options(5439, "the database, when no url is set");
    }

    @Override
    protected String url(Settings settings) {
        String database = settings.optional(Address.DATABASE).orElseThrow(() -> settings.problem(
                "set database (or url)"));
        return "jdbc:redshift://" + Address.hostAndPort(settings, 5439, EXAMPLE) + "/" + Address.segment(database);
    }

    @Override
    protected boolean setsSchema() {
        return true;
    }
}
