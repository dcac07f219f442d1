package dev.ebb.connector.duckdb;

import dev.ebb.spi.SourceException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** Prepares a fresh DuckDB connection for a project: search path, limits, file views. Stateless. */
final class DuckDbSession {
    /** File kinds that DuckDB reads by extension alone (its replacement scans), optionally compressed. */
    private static final Pattern DATA_FILE = Pattern.compile(
            "(?i).+\\.(parquet|csv|tsv|json|jsonl|ndjson)(\\.gz|\\.zst)?");
    /** A path from a file system's root: POSIX, UNC, or a Windows drive. */
    private static final Pattern ABSOLUTE = Pattern.compile("([/\\\\]|[A-Za-z]:[/\\\\]).*");
    private static final Pattern WHOLE_NUMBER = Pattern.compile("[1-9][0-9]{0,5}");

    private DuckDbSession() {
    }

    /**
     * Prepares the session, then locks it down: models may read files in the project folder and in the
     * directories {@code allowedDirectories} lists, and nothing else of the file system or the network; no extension
     * is installed or loaded beyond those built in; and no setting can be changed afterwards, by a model or otherwise.
     *
     * <p>DuckDB keeps the file search path and temporary views per connection, and locks the configuration of the
     * whole database: the connections in {@code alike} (duplicates of the session) get the same search path and
     * views here, before the lock, and are locked down with it.
     */
    static Prepared prepare(Connection connection, String name, Path root, String threads, String memoryLimit,
                            String files, String allowedDirectories, List<Connection> alike) throws SourceException {
        limit(connection, name, threads, memoryLimit);
        Map<String, Path> views = files.isBlank() ? Map.of() : views(connection, name, root, files.strip());
        for (Connection each : concat(connection, alike)) {
            searchPathAndViews(each, name, root, views);
        }
        return lockDown(connection, name, root, allowedDirectories, views);
    }

    /** What the session was prepared with: its file views, search path, and the files models may read. */
    record Prepared(Map<String, Path> views, String fileSearchPath, List<String> allowedDirectories,
                    List<String> allowedPaths) {
    }

    private static List<Connection> concat(Connection first, List<Connection> rest) {
        List<Connection> all = new ArrayList<>(List.of(first));
        all.addAll(rest);
        return all;
    }

    /** The database's resource limits (DuckDB's threads and memory limit are global, not per connection). */
    private static void limit(Connection connection, String name, String threads, String memoryLimit)
            throws SourceException {
        if (!threads.isBlank()) {
            if (!WHOLE_NUMBER.matcher(threads.strip()).matches()) {
                throw new SourceException("source '" + name + "': threads must be a whole number of at least 1,"
                        + " found '" + threads + "'", null);
            }
            set(connection, name, "threads", threads.strip());
        }
        if (!memoryLimit.isBlank()) {
            set(connection, name, "memory_limit", memoryLimit.strip());
        }
    }

    /** What DuckDB keeps per connection: the search path of relative paths, and the file views. */
    private static void searchPathAndViews(Connection connection, String name, Path root, Map<String, Path> views)
            throws SourceException {
        // DuckDB resolves a relative path in SQL against its search path; a file of the same relative path in the
        // process's working directory wins for a plain path (not for a glob). The CLI runs in the project root, where
        // the two agree. The setting is a comma-separated list, hence no comma in the root.
        if (root.toString().contains(",")) {
            throw new SourceException("source '" + name + "': the project folder's path contains a comma, which"
                    + " DuckDB's file search path cannot hold; move the project", null);
        }
        set(connection, name, "file_search_path", root.toString());
        for (Map.Entry<String, Path> view : views.entrySet()) {
            // Temporary: the catalog of a read-only database takes no view, and the session's own does.
            try (Statement statement = connection.createStatement()) {
                statement.execute("CREATE TEMPORARY VIEW " + identifier(view.getKey()) + " AS SELECT * FROM "
                        + literal(view.getValue().toString()));
            } catch (SQLException e) {
                throw new SourceException("source '" + name + "': cannot read " + root.relativize(view.getValue())
                        + ": " + e.getMessage(), e);
            }
        }
    }

    /**
     * DuckDB checks a path against its allowed directories as written, before resolving it against the search path,
     * so a relative path ({@code data/customers.csv}) is allowed through its first folder ({@code data/}), and a file
     * at the project root by its name; the absolute project folder covers absolute paths and the views of
     * {@code files}. DuckDB refuses {@code ..} out of an allowed directory. A symbolic link inside the project is
     * the project's own choice, and is followed.
     */
    private static Prepared lockDown(Connection connection, String name, Path root, String allowedDirectories,
                                     Map<String, Path> views) throws SourceException {
        List<String> directories = new ArrayList<>(List.of(root + root.getFileSystem().getSeparator()));
        List<String> paths = new ArrayList<>();
        try (Stream<Path> entries = Files.list(root)) {
            entries.forEach(entry -> {
                String entryName = entry.getFileName().toString();
                if (Files.isDirectory(entry)) directories.add(entryName + root.getFileSystem().getSeparator());
                else paths.add(entryName);
            });
        } catch (IOException e) {
            throw new SourceException("source '" + name + "': cannot list the project folder: " + e, e);
        }
        for (String extra : allowedDirectories.split(",")) {
            if (extra.isBlank()) continue;
            Path dir;
            try {
                dir = root.resolve(extra.strip()).normalize();
            } catch (InvalidPathException e) {
                throw new SourceException("source '" + name + "': allowed_directories entry '" + extra.strip()
                        + "' is not a path", e);
            }
            if (!Files.isDirectory(dir)) {
                throw new SourceException("source '" + name + "': allowed_directories entry '" + extra.strip()
                        + "' is not a folder (looked for " + dir + ")", null);
            }
            directories.add(dir + root.getFileSystem().getSeparator());
        }
        set(connection, name, "autoinstall_known_extensions", "false");
        set(connection, name, "autoload_known_extensions", "false");
        set(connection, name, "allow_community_extensions", "false");
        setList(connection, name, "allowed_directories", directories);
        if (!paths.isEmpty()) setList(connection, name, "allowed_paths", paths);
        set(connection, name, "enable_external_access", "false");
        set(connection, name, "lock_configuration", "true");
        return new Prepared(views, root.toString(), List.copyOf(directories), List.copyOf(paths));
    }

    private static void setList(Connection connection, String name, String setting, List<String> values)
            throws SourceException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("SET " + setting + " = [" + String.join(", ", values.stream()
                    .map(DuckDbSession::literal).toList()) + "]");
        } catch (SQLException e) {
            throw new SourceException("source '" + name + "': DuckDB refuses " + setting + " " + values + ": "
                    + e.getMessage(), e);
        }
    }

    private static void set(Connection connection, String name, String setting, String value)
            throws SourceException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("SET " + setting + " = " + literal(value));
        } catch (SQLException e) {
            throw new SourceException("source '" + name + "': " + setting.replace("file_search_path",
                    "the project root") + " '" + value + "' is not accepted by DuckDB: " + e.getMessage(), e);
        }
    }

    /** One view per data file, named after the file: {@code data/customers.csv.gz} is {@code customers}. */
    private static Map<String, Path> views(Connection connection, String name, Path root, String files)
            throws SourceException {
        Map<String, Path> views = new LinkedHashMap<>();
        for (Path file : dataFiles(connection, name, root, files)) {
            String fileName = file.getFileName().toString();
            String view = fileName.substring(0, fileName.indexOf('.'));
            Path previous = views.putIfAbsent(view.toLowerCase(Locale.ROOT), file);
            if (previous != null) {
                throw new SourceException("source '" + name + "': files '" + root.relativize(previous) + "' and '"
                        + root.relativize(file) + "' would both be the view " + view + "; rename one, or narrow"
                        + " files: to a glob that matches one of them", null);
            }
        }
        Map<String, Path> named = new LinkedHashMap<>();
        views.values().forEach(file -> {
            String fileName = file.getFileName().toString();
            named.put(fileName.substring(0, fileName.indexOf('.')), file);
        });
        return named;
    }

    private static List<Path> dataFiles(Connection connection, String name, Path root, String files)
            throws SourceException {
        Path folder = null;
        try {
            folder = root.resolve(files).normalize();
        } catch (InvalidPathException notAPath) {
            // A glob character that this platform's paths do not allow: it is a glob, DuckDB expands it.
        }
        List<Path> found = new ArrayList<>();
        if (folder != null && Files.isDirectory(folder)) {
            try (Stream<Path> listing = Files.list(folder)) {
                listing.filter(Files::isRegularFile)
                        .filter(f -> DATA_FILE.matcher(f.getFileName().toString()).matches())
                        .sorted()
                        .forEach(found::add);
            } catch (IOException e) {
                throw new SourceException("source '" + name + "': cannot list files '" + files + "': " + e, e);
            }
        } else {
            String pattern = ABSOLUTE.matcher(files).matches() ? files
                    : root + root.getFileSystem().getSeparator() + files;
            try (PreparedStatement glob = connection.prepareStatement("SELECT file FROM glob(?) ORDER BY file")) {
                glob.setString(1, pattern);
                try (ResultSet matches = glob.executeQuery()) {
                    while (matches.next()) {
                        found.add(Path.of(matches.getString(1)));
                    }
                }
            } catch (SQLException e) {
                throw new SourceException("source '" + name + "': files '" + files + "' is not a usable glob: "
                        + e.getMessage(), e);
            }
        }
        if (found.isEmpty()) {
            throw new SourceException("source '" + name + "': files '" + files + "' matches no Parquet, CSV or JSON"
                    + " file under the project root", null, true);
        }
        return found;
    }

    static String literal(String value) {
        return "'" + value.replace("'", "''") + "'";
    }

    static String identifier(String name) {
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }
}
