package dev.ebb.connector.jdbc.internal;

import dev.ebb.spi.SourceException;
import java.lang.reflect.InvocationTargetException;
import java.sql.Driver;

/** Finds a JDBC driver the user added to Ebb's class path. Stateless. */
final class Drivers {
    private Drivers() {
    }

    /**
     * The driver, instantiated from the thread's class loader (the launcher's class path: {@code lib/} and
     * {@code EBB_CLASSPATH}).
     *
     * @throws SourceException not unreachable: the installation lacks the driver, which the user adds
     */
    static Driver load(String source, String type, String driverClass, String coordinates) throws SourceException {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        if (loader == null) loader = Drivers.class.getClassLoader();
        try {
            Class<?> found = Class.forName(driverClass, true, loader);
            return (Driver) found.getDeclaredConstructor().newInstance();
        } catch (ClassNotFoundException | NoClassDefFoundError e) {
            throw new SourceException("source '" + source + "': the " + type + " JDBC driver (" + driverClass
                    + ") is not installed; Ebb does not bundle it. Add the jar of " + coordinates + " (and its"
                    + " dependencies, or its all-in-one jar) to the lib/ folder beside the ebb launcher, or name it in"
                    + " EBB_CLASSPATH; see docs/sources/jdbc.md", e, false);
        } catch (ReflectiveOperationException | ClassCastException | LinkageError e) {
            Throwable cause = e instanceof InvocationTargetException ite ? ite.getCause() : e;
            throw new SourceException("source '" + source + "': the " + type + " JDBC driver " + driverClass
                    + " cannot be started: " + cause + "; check that the jar of " + coordinates + " is complete and"
                    + " runs on this Java", cause, false);
        }
    }
}
