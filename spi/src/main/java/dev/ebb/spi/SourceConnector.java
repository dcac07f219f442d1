package dev.ebb.spi;

import java.util.List;

/**
 * The factory for one kind of source ({@code type: duckdb} in {@code ebb.yaml}), registered with
 * {@link java.util.ServiceLoader}. Implementations are stateless and thread-safe.
 */
public interface SourceConnector {
    /** The {@code type:} value that selects this connector. */
    String type();

    /** The settings an entry of this type accepts. */
    List<ConnectorOption> options();

    /**
     * Opens a connection.
     *
     * @throws SourceException when the source cannot be reached or opened
     */
    Source open(ConnectorContext context) throws SourceException;
}
