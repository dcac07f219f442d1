package dev.ebb.connector.postgres;

import dev.ebb.spi.BatchLimits;
import dev.ebb.spi.Destination;
import dev.ebb.spi.DestinationException;
import dev.ebb.spi.MatchRule;
import dev.ebb.spi.Mode;
import dev.ebb.spi.ObjectCapabilities;
import dev.ebb.spi.ObjectSchema;
import dev.ebb.spi.RateLimits;
import dev.ebb.spi.RemoteRecord;
import dev.ebb.spi.RemovalBehaviour;
import dev.ebb.spi.WriteBatch;
import dev.ebb.spi.WriteStep;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Tables of one PostgreSQL database. Every {@link #start}, {@link #read} and {@link #describe} is one transaction on
 * one connection: a batch is written whole or, where rows are refused, every other row is written and each refused
 * row is rejected with the server's reason (see {@link TableWriter}). Objects are table names in the entry's schema,
 * or {@code schema.table}. Thread-safe.
 */
final class PostgresDestination implements Destination {
    /** Batches in flight at once: each holds one connection, and a server's connection slots are shared. */
    static final int MAX_CONCURRENCY = 4;
    /**
     * Rows per transaction. Not a server limit (one statement takes any number of rows through its arrays): a
     * choice that keeps each transaction's locks short and its bisection, when a row is refused, cheap.
     */
    static final int MAX_RECORDS = 1_000;
    static final long MAX_BYTES = 16L * 1024 * 1024;

    /**
     * A table, or {@code schema.table}: names as SQL writes them without quotes (letters, digits, {@code _} and
     * {@code $}, at most 63 characters each), compared exactly as spelled.
     */
    private static final Pattern TABLE_NAME = Pattern.compile(
            "([A-Za-z_][A-Za-z0-9_$]{0,62}\\.)?[A-Za-z_][A-Za-z0-9_$]{0,62}");

    private final String accountId;
    private final Connections connections;
    private final String schema;
    /** Tables as last described, by object; a write uses them instead of reading the catalog again. */
    private final Map<String, Table> tables = new ConcurrentHashMap<>();

    PostgresDestination(String accountId, Connections connections, String schema) {
        this.accountId = accountId;
        this.connections = connections;
        this.schema = schema;
    }

    @Override
    public String accountId() {
        return accountId;
    }

    /** A database declares no request windows or quota; only how many transactions Ebb runs at once. */
    @Override
    public RateLimits rateLimits() {
        return new RateLimits(List.of(), MAX_CONCURRENCY, Optional.empty());
    }

    @Override
    public Optional<ObjectCapabilities> object(String object) {
        if (object == null || !TABLE_NAME.matcher(object).matches()) return Optional.empty();
        return Optional.of(new ObjectCapabilities(object,
                EnumSet.of(Mode.UPSERT, Mode.UPDATE, Mode.INSERT, Mode.MIRROR),
                EnumSet.of(RemovalBehaviour.IGNORE, RemovalBehaviour.CLEAR_FIELDS, RemovalBehaviour.DELETE),
                // Any column that a unique constraint or primary key covers alone identifies rows.
                new MatchRule(Set.of(), true),
                new BatchLimits(MAX_RECORDS, MAX_BYTES), true));
    }

    @Override
    public ObjectSchema describe(String object) throws DestinationException {
        Table table = connections.inTransaction(connection -> catalog(connection, object));
        tables.put(object, table);
        return table.toSchema(object);
    }

    @Override
    public WriteStep start(WriteBatch batch) throws DestinationException {
        return new WriteStep.Done(connections.inTransaction(
                connection -> TableWriter.write(connection, table(connection, batch.object()), batch)));
    }

    @Override
    public List<RemoteRecord> read(String object, String matchField, Collection<String> matchValues,
                                   Collection<String> fields) throws DestinationException {
        return connections.inTransaction(connection -> TableReader.read(connection, table(connection, object),
                matchField, matchValues, fields));
    }

    /** The table as described, or read from the catalog in the call's own transaction. */
    private Table table(Connection connection, String object) throws SQLException, DestinationException {
        Table known = tables.get(object);
        if (known != null) return known;
        Table table = catalog(connection, object);
        tables.put(object, table);
        return table;
    }

    private Table catalog(Connection connection, String object) throws SQLException, DestinationException {
        int dot = object.indexOf('.');
        return dot < 0 ? Catalog.table(connection, schema, object)
                : Catalog.table(connection, object.substring(0, dot), object.substring(dot + 1));
    }

    @Override
    public void close() {
        connections.close();
    }
}
