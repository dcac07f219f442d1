package dev.ebb.connector.duckdb;

import dev.ebb.spi.DuckDbAttachment;
import dev.ebb.spi.SourceException;
import dev.ebb.spi.SqlEngine;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;

/**
 * The DuckDB source as an engine for Ebb's own SQL. Its connection is the source's session itself (DuckDB keeps the
 * search path and the file views per connection, and the session's settings are locked), handed out so that closing
 * it leaves the session open. Not thread-safe, like the source.
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

    DuckDbEngine(String name, Connection session, DuckDbAttachment attachment, StreamCloser streams) {
        this.name = name;
        this.session = session;
        this.attachment = attachment;
        this.streams = streams;
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
        streams.closeCurrent();
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[]{Connection.class},
                (proxy, method, arguments) -> {
                    switch (method.getName()) {
                        case "close" -> {
                            return null;
                        }
                        case "isClosed" -> {
                            return false;
                        }
                        // Not the session's driver object: that would let a caller close the session.
                        case "isWrapperFor" -> {
                            return false;
                        }
                        case "unwrap" -> throw new SQLException("the DuckDB source's session cannot be unwrapped");
                        default -> {
                            try {
                                return method.invoke(session, arguments);
                            } catch (InvocationTargetException e) {
                                throw e.getCause();
                            }
                        }
                    }
                });
    }

    @Override
    public Optional<DuckDbAttachment> duckDbAttachment() {
        return Optional.of(attachment);
    }
}
