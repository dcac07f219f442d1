package dev.ebb.core.state.duckdb;

import dev.ebb.core.state.Access;
import dev.ebb.core.state.StateException;
import dev.ebb.core.state.StateStore;
import dev.ebb.core.state.StateStoreContractTest;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The embedded store held to the contract every state store keeps: a new file per test. */
class DuckDbStateStoreContractTest extends StateStoreContractTest {
    @TempDir
    Path dir;

    @Override
    protected StateStore open(Access access) throws StateException {
        return DuckDbStateStore.open(dir.resolve("state.duckdb"), access);
    }
}
