package dev.ebb.connector.duckdb;

import dev.ebb.spi.DuckDbAttachment;
import dev.ebb.spi.SourceException;
import dev.ebb.spi.SqlEngine;
import java.sql.Connection;
import java.util.Optional;

/**
 * The DuckDB source as an engine for Ebb's own SQL. Every connection it hands out sees what models see: the file
 * search path and the file views (DuckDB keeps them per connection), under the session's locked configuration. For a
 * source that keeps Ebb's warehouse-native state, it is one of the session's prepared duplicates ({@link
 * StateConnections}); otherwise the session itself, handed out so that closing it leaves the session open. Not
 * thread-safe, like the source; the connections it lends may each be used on a thread of their own.
 */
final class DuckDbEngine implements SqlEngine {
    /** Closes the source's open stream, which a statement on the same connection would invalidate. */
    interface StreamCloser {
        void closeCurrent() throws SourceException;
    }

    private final String name;
    private final Connection session;
    private final DuckDbAttachment attachment;
    private final StreamCloser streams;
    /** The warehouse-native state's connections, independent of the session and of each other, when it keeps one. */
    private final Optional<StateConnections> stateConnections;

    DuckDbEngine(String name, Connection session, DuckDbAttachment attachment, StreamCloser streams,
                 Optional<StateConnections> stateConnections) {
        this.name = name;
        this.session = session;
        this.attachment = attachment;
        this.streams = streams;
        this.stateConnections = stateConnections;
    }

    @Override
    public String dialect() {
        return DUCKDB;
    }

    @Override
    public String modelQuery(String sql) throws SourceException {
        streams.closeCurrent();
        return ModelQuery.check(session, name, sql);
    }

    @Override
    public Connection connect() throws SourceException {
        if (stateConnections.isPresent()) return stateConnections.get().lend();
        streams.closeCurrent();
        return LentConnection.of(session, () -> {
        });
    }

    @Override
    public Optional<DuckDbAttachment> duckDbAttachment() {
        return Optional.of(attachment);
    }
}
