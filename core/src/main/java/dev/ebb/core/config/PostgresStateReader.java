package dev.ebb.core.config;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/** Reads {@code state: { store: postgres, url, user, password, schema }} of {@code ebb.yaml}. Not thread-safe. */
final class PostgresStateReader {
    /** The keys of a postgres store, beside {@code store}. */
    static final List<String> KEYS = List.of("url", "user", "password", "schema");
    /** A schema name Ebb creates and quotes the same way everywhere: lower case, as PostgreSQL folds it. */
    private static final Pattern SCHEMA = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
    private static final String EXAMPLE = "state: { store: postgres, url: \"jdbc:postgresql://db.internal:5432/ebb\","
            + " user: ebb, password: \"${env:EBB_STATE_PASSWORD}\" }";

    private final NodeReader reader;

    PostgresStateReader(NodeReader reader) {
        this.reader = reader;
    }

    PostgresState read(YamlNode.Mapping state) {
        state.entry("path").ifPresent(e -> reader.error(e.line(), "'path' is a setting of the embedded state store;"
                + " a postgres store lives in the database that 'url' names: remove 'path'"));
        for (String key : List.of("memory_limit", "temp_directory")) {
            state.entry(key).ifPresent(e -> reader.error(e.line(), "'" + key + "' is a setting of the embedded"
                    + " state store's DuckDB; a postgres store's memory is the database server's: remove '" + key
                    + "'"));
        }
        String url = setting(state, "url").orElse(null);
        if (url != null) checkUrl(url, state.entry("url").orElseThrow().value().line());
        String user = setting(state, "user").orElse(null);
        String password = setting(state, "password").orElse(null);
        if (password != null && !Secrets.hasReference(password)) {
            reader.warning(state.entry("password").orElseThrow().line(), "state.password is written in plain text;"
                    + " write password: \"${env:EBB_STATE_PASSWORD}\" (or ${file:path}) to keep it out of the"
                    + " project's files");
        }
        String schema = state.entry("schema").flatMap(reader::string).orElse(PostgresState.DEFAULT_SCHEMA);
        if (!SCHEMA.matcher(schema).matches()) {
            reader.error(state.entry("schema").orElseThrow().value().line(), "'schema' cannot be '" + schema
                    + "': use lower-case letters, digits and underscores, starting with a letter or underscore"
                    + " (at most 63), e.g. schema: ebb");
            schema = PostgresState.DEFAULT_SCHEMA;
        }
        return new PostgresState(url, user, password, schema, reader.at(state.line()));
    }

    /** A required setting's value as written, its reference syntax checked. */
    private Optional<String> setting(YamlNode.Mapping state, String key) {
        Optional<YamlNode.Entry> entry = "password".equals(key) ? state.entry(key)
                : reader.required(state, key, "in state: (store: postgres)", EXAMPLE);
        Optional<String> value = entry.flatMap(reader::string);
        value.ifPresent(v -> {
            for (String problem : SecretTemplate.parse(v).errors()) {
                reader.error(entry.get().line(), "state." + key + ": " + problem);
            }
        });
        return value;
    }

    /**
     * A URL written out is checked now; one behind a reference when the store opens. Credentials go in their own
     * keys: in the URL they would be printed wherever the URL is.
     */
    private void checkUrl(String url, int line) {
        if (Secrets.hasReference(url)) return;
        problem(url).ifPresent(problem -> reader.error(line, "state.url " + problem));
    }

    /** What is wrong with a PostgreSQL JDBC URL, if anything: the message goes after "state.url ". */
    static Optional<String> problem(String url) {
        if (!url.startsWith(PostgresState.URL_PREFIX)) {
            return Optional.of("must be a PostgreSQL JDBC URL: " + PostgresState.URL_PREFIX
                    + "host[:port]/database (e.g. jdbc:postgresql://db.internal:5432/ebb)");
        }
        String rest = url.substring(PostgresState.URL_PREFIX.length());
        int query = rest.indexOf('?');
        String authority = query < 0 ? rest : rest.substring(0, query);
        String parameters = query < 0 ? "" : rest.substring(query + 1).toLowerCase(Locale.ROOT);
        if (authority.contains("@") || List.of(parameters.split("&")).stream()
                .anyMatch(p -> p.startsWith("password=") || p.startsWith("user="))) {
            return Optional.of("must not hold credentials: write them as state.user and state.password"
                    + " (password: \"${env:EBB_STATE_PASSWORD}\")");
        }
        int slash = authority.indexOf('/');
        if (slash <= 0 || slash == authority.length() - 1) {
            return Optional.of("names no " + (slash == 0 ? "host" : "database") + ": write "
                    + PostgresState.URL_PREFIX + "host[:port]/database");
        }
        return Optional.empty();
    }
}
