package dev.ebb.core.config;

import dev.ebb.core.plan.Connectors;
import dev.ebb.spi.ConnectorContext;
import dev.ebb.spi.ConnectorOption;
import dev.ebb.spi.Destination;
import dev.ebb.spi.DestinationConnector;
import dev.ebb.spi.Source;
import dev.ebb.spi.SourceConnector;
import java.util.List;

/**
 * Connectors that only declare their type and options: all the loader looks at. Opening one is a test bug.
 */
final class TestingConnectors {
    static final List<ConnectorOption> DUCKDB_OPTIONS = List.of(
            ConnectorOption.optional("path", "a DuckDB database file, relative to the project root"),
            ConnectorOption.optional("files", "a folder or glob of Parquet/CSV files"),
            ConnectorOption.optional("threads", "DuckDB worker threads"),
            ConnectorOption.optional("memory_limit", "DuckDB memory limit, e.g. 2GB"));
    static final List<ConnectorOption> POSTGRES_OPTIONS = List.of(
            ConnectorOption.required("host", "the server's host name"),
            ConnectorOption.optional("port", "the server's port"),
            ConnectorOption.secret("password", "the user's password"));
    static final List<ConnectorOption> HUBSPOT_OPTIONS = List.of(
            ConnectorOption.secret("token", "a private app access token"),
            ConnectorOption.optional("base_url", "the API's base URL, for a sandbox"));

    private TestingConnectors() {
    }

    static ConnectorCatalog catalog() {
        return ConnectorCatalog.of(
                List.of(new OptionsOnlySource("duckdb", DUCKDB_OPTIONS), new OptionsOnlySource("postgres",
                        POSTGRES_OPTIONS)),
                List.of(new OptionsOnlyDestination("hubspot", HUBSPOT_OPTIONS)));
    }

    record OptionsOnlySource(String type, List<ConnectorOption> options) implements SourceConnector {
        @Override
        public Source open(ConnectorContext context) {
            throw new UnsupportedOperationException("the loader never opens a connection");
        }
    }

    record OptionsOnlyDestination(String type, List<ConnectorOption> options) implements DestinationConnector {
        @Override
        public Destination open(ConnectorContext context) {
            throw new UnsupportedOperationException("the loader never opens a connection");
        }
    }
}
