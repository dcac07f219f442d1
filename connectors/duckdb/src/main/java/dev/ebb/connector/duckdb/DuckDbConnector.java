package dev.ebb.connector.duckdb;

import dev.ebb.spi.ConnectorContext;
import dev.ebb.spi.ConnectorOption;
import dev.ebb.spi.DuckDbAttachment;
import dev.ebb.spi.Source;
import dev.ebb.spi.SourceConnector;
import dev.ebb.spi.SourceException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import org.duckdb.DuckDBDriver;

/**
 * The {@code duckdb} source: models run in DuckDB, in-process, on a database file or on Parquet, CSV and JSON
 * files.
 *
 * <pre>{@code
 * sources:
 *   lakehouse: { type: duckdb, path: data/lakehouse.duckdb }       # a database file, opened read-only
 *   files:     { type: duckdb, files: data/ }                      # in memory; data/customers.parquet is a view
 * }</pre>
 *
 * <p>Relative paths, in the settings and in the models' SQL ({@code read_parquet('data/*.parquet')}), resolve
 * against the project root. A model reads files of the project folder, and of the folders
 * {@code allowed_directories} lists, and nothing else: no other file, no URL, no extension beyond those built in
 * (none is installed or loaded, community extensions are off), and the session's settings are locked once it is
 * prepared, so a model cannot undo any of it. Models can never write: a database file is opened in DuckDB's read-only access mode, and
 * every model must parse as exactly one query, which also keeps an in-memory database and the file system unchanged.
 *
 * <p>DuckDB shares one database instance per file within a process, and refuses to open a file read-only while the
 * same process holds it open for writing: whatever writes the file (a generator, a test) closes its connections
 * before a run. Stateless and thread-safe.
 */
public final class DuckDbConnector implements SourceConnector {
    public static final String TYPE = "duckdb";

    static final String PATH = "path";
    static final String FILES = "files";
    static final String THREADS = "threads";
    static final String MEMORY_LIMIT = "memory_limit";
    static final String ALLOWED_DIRECTORIES = "allowed_directories";
    static final String TEMP_DIRECTORY = "temp_directory";
    /** DuckDB's own default is 80% of the machine's memory: too much beside the JVM and the state store's DuckDB. */
    static final String DEFAULT_MEMORY_LIMIT = "1GB";
    /** Where DuckDB spills what does not fit its memory limit, relative to the project root. */
    static final String DEFAULT_TEMP_DIRECTORY = ".ebb/duckdb-spill";

    private static final List<ConnectorOption> OPTIONS = List.of(
            ConnectorOption.optional(PATH, "a DuckDB database file, relative to the project root, opened read-only;"
                    + " without it, an in-memory database (for Parquet, CSV and JSON files)"),
            ConnectorOption.optional(FILES, "a folder or glob of Parquet, CSV or JSON files, relative to the project"
                    + " root; each file becomes a view named after it (data/customers.parquet is customers)"),
            ConnectorOption.optional(THREADS, "how many threads DuckDB may use (default: one per core)"),
            ConnectorOption.optional(MEMORY_LIMIT, "how much memory DuckDB may use before spilling to disk, e.g."
                    + " 2GB (default: " + DEFAULT_MEMORY_LIMIT + ")"),
            ConnectorOption.optional(TEMP_DIRECTORY, "the folder DuckDB spills to, relative to the project root"
                    + " (default: " + DEFAULT_TEMP_DIRECTORY + ")"),
            ConnectorOption.optional(ALLOWED_DIRECTORIES, "folders outside the project that models may read files"
                    + " from, comma-separated, absolute or relative to the project root (default: none; the"
                    + " project folder is always allowed)"));

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public List<ConnectorOption> options() {
        return OPTIONS;
    }

    /**
     * Opens the database and prepares the session: the project root as DuckDB's file search path, the resource
     * limits, and a view per file of {@code files}.
     *
     * @throws SourceException {@link SourceException#unreachable() unreachable} when the database file is missing or
     *                         cannot be opened; not unreachable when a setting is invalid
     */
    @Override
    public Source open(ConnectorContext context) throws SourceException {
        Path root = context.projectRoot().toAbsolutePath().normalize();
        String name = context.name();
        String path = context.setting(PATH, "").strip();
        Properties properties = new Properties();
        // Without it the driver materialises the whole result before the first row.
        properties.setProperty(DuckDBDriver.JDBC_STREAM_RESULTS, "true");
        // Nothing is fetched or loaded while the database opens either (the session is locked down after).
        properties.setProperty("autoinstall_known_extensions", "false");
        properties.setProperty("autoload_known_extensions", "false");
        // Bounded from the start; a limit the user sets is applied (and checked, with its own message) once open.
        if (context.setting(MEMORY_LIMIT, "").isBlank()) properties.setProperty("memory_limit", DEFAULT_MEMORY_LIMIT);
        properties.setProperty("temp_directory", root.resolve(context.setting(TEMP_DIRECTORY,
                DEFAULT_TEMP_DIRECTORY).strip()).normalize().toString());
        String url = "jdbc:duckdb:";
        // A source that keeps Ebb's warehouse-native state is opened for writing (its schema only; models still run
        // as exactly one query, which cannot write), since DuckDB opens a file once per process, in one mode.
        boolean keepsState = context.stateSchema().isPresent();
        if (keepsState && path.isEmpty()) {
            throw new SourceException("source '" + name + "': state: { store: warehouse } keeps Ebb's tables in the"
                    + " source's database, and this source has none (it reads files in memory); set path: to a"
                    + " DuckDB database file, or remove state: from the source", null);
        }
        if (!path.isEmpty()) {
            Path file = databaseFile(name, root, path);
            if (!keepsState) properties.setProperty(DuckDBDriver.DUCKDB_READONLY_PROPERTY, "true");
            url += file;
        }
        Connection connection;
        try {
            connection = new DuckDBDriver().connect(url, properties);
        } catch (SQLException e) {
            throw new SourceException("source '" + name + "': cannot open DuckDB database"
                    + (path.isEmpty() ? "" : " '" + path + "'") + ": " + e.getMessage(), e, true);
        }
        List<Connection> alike = List.of();
        try {
            if (keepsState) alike = StateConnections.duplicate(connection, name);
            DuckDbSession.Prepared prepared = DuckDbSession.prepare(connection, name, root,
                    context.setting(THREADS, ""), context.setting(MEMORY_LIMIT, ""), context.setting(FILES, ""),
                    context.setting(ALLOWED_DIRECTORIES, ""), alike);
            DuckDbAttachment attachment = new DuckDbAttachment(
                    path.isEmpty() ? Optional.empty() : Optional.of(databaseFile(name, root, path)),
                    prepared.views(), prepared.fileSearchPath(), prepared.allowedDirectories(),
                    prepared.allowedPaths());
            return new DuckDbSource(name, connection, attachment,
                    keepsState ? Optional.of(StateConnections.of(name, alike)) : Optional.empty());
        } catch (SourceException | RuntimeException e) {
            StateConnections.close(alike, e);
            try {
                connection.close();
            } catch (SQLException closing) {
                e.addSuppressed(closing);
            }
            throw e;
        }
    }

    private static Path databaseFile(String name, Path root, String path) throws SourceException {
        Path file;
        try {
            file = root.resolve(path).normalize();
        } catch (InvalidPathException e) {
            throw new SourceException("source '" + name + "': path '" + path + "' is not a valid file path", e);
        }
        if (!Files.isRegularFile(file)) {
            throw new SourceException("source '" + name + "': DuckDB database file '" + path + "' does not exist"
                    + " (looked for " + file + "); correct path: in ebb.yaml, or remove it to query files in memory",
                    null, true);
        }
        return file;
    }
}
