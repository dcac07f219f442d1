package dev.ebb.connector.postgres;

import dev.ebb.spi.DestinationConnector;
import dev.ebb.spi.FieldType;
import dev.ebb.testkit.DestinationContractTest;
import dev.ebb.testkit.EmbeddedPostgresExtension;
import dev.ebb.testkit.RecordInspector;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** The shared destination contract against a real PostgreSQL: a fresh table per test, one server per class. */
class PostgresDestinationContractTest extends DestinationContractTest<TestingTable> {
    @RegisterExtension
    static final EmbeddedPostgresExtension POSTGRES = new EmbeddedPostgresExtension();

    @Override
    protected TestingTable newSandbox() throws Exception {
        return TestingTable.create(POSTGRES);
    }

    @Override
    protected DestinationConnector connector() {
        return new PostgresConnector();
    }

    @Override
    protected Map<String, String> settings() {
        return sandbox().settings();
    }

    @Override
    protected Map<String, String> badCredentials() {
        return Map.of("password", "not-the-password");
    }

    @Override
    protected Subject subject() {
        return new Subject(TestingTable.TABLE, "email", n -> "contract-" + n + "@example.com");
    }

    @Override
    protected Map<String, FieldType> fields() {
        Map<String, FieldType> fields = new LinkedHashMap<>();
        fields.put("name", FieldType.STRING);
        fields.put("score", FieldType.NUMBER);
        fields.put("active", FieldType.BOOLEAN);
        fields.put("signed_up", FieldType.DATE);
        fields.put("seen_at", FieldType.DATETIME);
        fields.put("plan", FieldType.ENUMERATION);
        return fields;
    }

    /** The table's CHECK (score >= 0) refuses it. */
    @Override
    protected Map<String, Object> invalidFields() {
        return Map.of("score", new BigDecimal("-1"));
    }

    @Override
    protected String rejectionReasonFragment() {
        return "23514"; // check_violation
    }

    /** Any identifier may name a table, so an unknown object is one no table can be named without quotes. */
    @Override
    protected String unknownObject() {
        return "no such table";
    }

    @Override
    protected RecordInspector inspector() {
        return sandbox();
    }

    @Override
    protected Set<Behavior> unsupported() {
        // A real server, not a sandbox: its faults are tested in PostgresDestinationTest (a lost connection, a
        // refused one). A database answers every write in the same transaction, and has no request windows.
        return Set.of(Behavior.SERVER_ERROR_FAULT, Behavior.THROTTLE_FAULT, Behavior.DROPPED_CONNECTION_FAULT,
                Behavior.ASYNCHRONOUS_WRITE, Behavior.RATE_LIMITS);
    }
}
