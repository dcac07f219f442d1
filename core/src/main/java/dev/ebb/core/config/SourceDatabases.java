package dev.ebb.core.config;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The database a source's settings point at, as a dbt target names it: a DuckDB file's name without its extension
 * (the catalog DuckDB gives it), a PostgreSQL URL's or {@code database:} setting's database. Empty when the settings
 * do not say, or say it through a secret reference that is not resolved while loading. Stateless.
 */
final class SourceDatabases {
    private static final Pattern POSTGRES_URL = Pattern.compile("jdbc:postgresql://[^/?]*/([^?;]+).*");

    private SourceDatabases() {
    }

    static Optional<String> name(ConnectionConfig source) {
        return switch (source.type() == null ? "" : source.type()) {
            case "duckdb" -> setting(source, "path").map(path -> {
                String file = path.substring(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
                int dot = file.indexOf('.');
                return dot < 0 ? file : file.substring(0, dot);
            });
            case "postgres" -> setting(source, "url").flatMap(url -> {
                Matcher matcher = POSTGRES_URL.matcher(url);
                return matcher.matches() ? Optional.of(matcher.group(1)) : Optional.empty();
            }).or(() -> setting(source, "database"));
            default -> Optional.empty();
        };
    }

    private static Optional<String> setting(ConnectionConfig source, String name) {
        String value = source.settings().get(name);
        if (value == null || value.isBlank() || Secrets.hasReference(value)) return Optional.empty();
        return Optional.of(value.strip());
    }
}
