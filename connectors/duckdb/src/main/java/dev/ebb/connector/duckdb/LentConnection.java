package dev.ebb.connector.duckdb;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * A connection of the source's lent to Ebb's own SQL: closing it hands it back instead of closing it, once; after that
 * it refuses every call. It cannot be unwrapped into the driver's object, which would let the borrower close or
 * reconfigure what it does not own. Each lent connection is used by one thread at a time, as JDBC's are.
 */
final class LentConnection {
    /** What closing the lent connection does with the one it stands for. */
    @FunctionalInterface
    interface GiveBack {
        void giveBack() throws SQLException;
    }

    private LentConnection() {
    }

    static Connection of(Connection lent, GiveBack giveBack) {
        boolean[] closed = {false};
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[]{Connection.class},
                (proxy, method, arguments) -> {
                    switch (method.getName()) {
                        case "close" -> {
                            if (!closed[0]) {
                                closed[0] = true;
                                giveBack.giveBack();
                            }
                            return null;
                        }
                        case "isClosed" -> {
                            return closed[0];
                        }
                        case "isWrapperFor" -> {
                            return false;
                        }
                        case "unwrap" -> throw new SQLException("a DuckDB source's connection cannot be unwrapped");
                        case "equals" -> {
                            return proxy == arguments[0];
                        }
                        case "hashCode" -> {
                            return System.identityHashCode(proxy);
                        }
                        default -> {
                            if (closed[0]) throw new SQLException("the connection is closed");
                            try {
                                return method.invoke(lent, arguments);
                            } catch (InvocationTargetException e) {
                                throw e.getCause();
                            }
                        }
                    }
                });
    }
}
