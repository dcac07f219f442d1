package dev.ebb.core.state.warehouse;

import dev.ebb.core.state.Access;
import dev.ebb.core.state.StateException;
import dev.ebb.core.state.StateStore;
import dev.ebb.core.state.StateStoreContractTest;
import dev.ebb.core.state.duckdb.DuckDbStateStore;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;
import org.duckdb.DuckDBConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * The state store contract, held by the store the engine sees when the syncs' snapshots live in their warehouse: the
 * embedded store keeps the run log, conflicts and quotas, a DuckDB lakehouse keeps the snapshots of the contract's
 * syncs and plans them.
 */
class RoutedStateStoreContractTest extends StateStoreContractTest {
    @TempDir
    Path dir;
    private DuckDBConnection lakehouse;

    @Override
    protected StateStore open(Access access) throws StateException {
        DuckDbStateStore project = DuckDbStateStore.open(dir.resolve("state.duckdb"), access);
        return new RoutedStateStore(project, Map.of(SYNC, "lakehouse", "other", "lakehouse"),
                source -> WarehouseSnapshots.open(engine(), "ebb_state", source), () -> { });
    }

    private WarehouseEngine engine() throws StateException {
        try {
            if (lakehouse == null) {
                lakehouse = (DuckDBConnection) DriverManager.getConnection("jdbc:duckdb:"
                        + dir.resolve("lakehouse.duckdb"));
            }
        } catch (SQLException e) {
            throw new StateException(e.getMessage(), e);
        }
        return new WarehouseEngine() {
            @Override
            public String dialect() {
                return "duckdb";
            }

            @Override
            public Connection connect() throws SQLException {
                return lakehouse.duplicate();
            }
        };
    }

    @AfterEach
    void closeLakehouse() throws SQLException {
        if (lakehouse != null) lakehouse.close();
    }
}
