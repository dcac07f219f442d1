package dev.ebb.core.state.warehouse;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import org.duckdb.DuckDBConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/** The warehouse-native state on a DuckDB database file, through connections of one instance (as the source's). */
class DuckDbWarehouseSnapshotsTest extends WarehouseSnapshotsContract {
    @TempDir
    Path dir;
    private DuckDBConnection root;

    @Override
    WarehouseEngine engine() throws SQLException {
        if (root == null) {
            root = (DuckDBConnection) DriverManager.getConnection("jdbc:duckdb:" + dir.resolve("lakehouse.duckdb"));
        }
        return new WarehouseEngine() {
            @Override
            public String dialect() {
                return "duckdb";
            }

            @Override
            public Connection connect() throws SQLException {
                return root.duplicate();
            }
        };
    }

    @AfterEach
    void closeRoot() throws SQLException {
        store.close();
        store = null;
        root.close();
    }
}
