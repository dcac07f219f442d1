package dev.ebb.core.state.warehouse;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * The source's engine as the warehouse-native state uses it: its dialect, and connections that may write Ebb's
 * schema and create temporary tables. Implementations are thread-safe.
 */
public interface WarehouseEngine extends AutoCloseable {
    /** The engine's dialect: {@code duckdb} or {@code postgres} (others are refused when the store opens). */
    String dialect();

    /** A new connection, in auto-commit mode; the caller closes it. */
    Connection connect() throws SQLException;

    /** Releases what the engine holds (the source it belongs to); the state calls it when it closes. */
    @Override
    default void close() {
    }
}
