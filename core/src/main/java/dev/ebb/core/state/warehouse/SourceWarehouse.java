package dev.ebb.core.state.warehouse;

import dev.ebb.spi.SourceException;
import dev.ebb.spi.SqlEngine;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * A source's {@link SqlEngine} as the warehouse-native state's engine. The source must have been opened to keep the
 * state ({@link dev.ebb.spi.ConnectorContext#STATE_SCHEMA}), so that its connections may write. Whoever opened the
 * source closes it.
 */
final class SourceWarehouse implements WarehouseEngine {
    private final SqlEngine engine;

    SourceWarehouse(SqlEngine engine) {
        this.engine = engine;
    }

    @Override
    public String dialect() {
        return engine.dialect();
    }

    @Override
    public Connection connect() throws SQLException {
        try {
            return engine.connect();
        } catch (SourceException e) {
            throw new SQLException(e.getMessage(), e);
        }
    }
}
