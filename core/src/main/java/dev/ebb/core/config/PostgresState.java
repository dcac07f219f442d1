package dev.ebb.core.config;

import java.nio.file.Path;
import java.util.Map;

/**
 * {@code state: { store: postgres, url: …, user: …, password: …, schema: … }}: the PostgreSQL database that holds
 * Ebb's state, in a schema of its own. Immutable.
 *
 * <p>As loaded, {@code user} and {@code password} may be secret references ({@code ${env:PGPASSWORD}}); {@link
 * #resolve} gives a copy with their values, to hand to the store and drop. {@link #toString} never shows a password,
 * written or resolved.
 *
 * @param url      {@code jdbc:postgresql://host[:port]/database}, without credentials (they have keys of their own)
 * @param user     the role Ebb signs in as
 * @param password its password, or {@code null} when the server needs none
 * @param schema   the schema of Ebb's tables (default {@value #DEFAULT_SCHEMA}), created if missing and allowed
 * @param location where {@code state:} is written, for messages
 */
public record PostgresState(String url, String user, String password, String schema, Location location) {
    public static final String DEFAULT_SCHEMA = "ebb";
    /** What a JDBC URL of PostgreSQL starts with. */
    public static final String URL_PREFIX = "jdbc:postgresql://";

    /** A copy whose url, user and password hold the values of their secret references. */
    public PostgresState resolve(Path root, Map<String, String> env) throws ConfigException {
        Problems problems = new Problems();
        String resolvedUrl = resolve(url, "url", root, env, problems);
        String resolvedUser = resolve(user, "user", root, env, problems);
        String resolvedPassword = password == null ? null : resolve(password, "password", root, env, problems);
        if (!problems.hasErrors()) {
            PostgresStateReader.problem(resolvedUrl).ifPresent(p -> problems.error(location, "state.url " + p));
        }
        if (problems.hasErrors()) throw new ConfigException(problems.errors());
        return new PostgresState(resolvedUrl, resolvedUser, resolvedPassword, schema, location);
    }

    private String resolve(String raw, String key, Path root, Map<String, String> env, Problems problems) {
        try {
            return Secrets.resolve(raw, location, root, env);
        } catch (ConfigException e) {
            for (ConfigProblem problem : e.problems()) {
                problems.error(problem.location(), "state." + key + ": " + problem.message());
            }
            return raw;
        }
    }

    /** Where the server is, as {@code host:port/database}: safe to print (the URL holds no credentials). */
    public String server() {
        String rest = url.startsWith(URL_PREFIX) ? url.substring(URL_PREFIX.length()) : url;
        int query = rest.indexOf('?');
        return query < 0 ? rest : rest.substring(0, query);
    }

    @Override
    public String toString() {
        String shown = password == null ? null
                : Secrets.redact(Map.of("password", password), java.util.List.of()).get("password");
        return "PostgresState[url=" + url + ", user=" + user + ", password=" + shown + ", schema=" + schema + "]";
    }
}
