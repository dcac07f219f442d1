package dev.ebb.core.state.postgres;

import dev.ebb.core.state.Access;
import dev.ebb.core.state.StateException;
import dev.ebb.core.state.StateStore;
import dev.ebb.core.state.StateStoreContractTest;
import dev.ebb.testkit.EmbeddedPostgresExtension;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The PostgreSQL store held to the contract every state store keeps: a new schema per test, on a real server. */
class PostgresStateStoreContractTest extends StateStoreContractTest {
    @RegisterExtension
    static final EmbeddedPostgresExtension POSTGRES = new EmbeddedPostgresExtension();
    private static final AtomicInteger SCHEMAS = new AtomicInteger();

    private String schema;

    @BeforeEach
    void newSchema() {
        schema = "ebb_contract_" + SCHEMAS.incrementAndGet();
    }

    @Override
    protected StateStore open(Access access) throws StateException {
        return PostgresStateStore.open(POSTGRES.jdbcUrl(EmbeddedPostgresExtension.DEFAULT_DATABASE),
                EmbeddedPostgresExtension.ADMIN_USER, null, schema, access);
    }
}
