package dev.ebb.core.config;

import dev.ebb.spi.ConnectorOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Takes out of a message what a project's settings resolved to, putting back what they are written as: a value read
 * through {@code ${file:…}} or {@code ${env:…}} becomes its reference, and a secret written literally becomes
 * {@link Secrets#MASK}. A connector checks settings after they are resolved, so its message about a bad
 * {@code base_url} would show a file's content; this makes it name the reference instead, whatever the value holds
 * (a line break, a quote).
 *
 * <p>A value quoted as {@code 'value'} (how {@code Settings} shows a setting) is replaced at any length; a bare
 * occurrence only from {@value #SECRET_MIN} characters for a secret and {@value #VALUE_MIN} for other values, so
 * that a timeout of {@code 30} read from the environment does not rewrite every {@code 30} of a message. Immutable
 * and thread-safe.
 */
public final class Redaction {
    /** Redacts nothing. */
    public static final Redaction NONE = new Redaction(List.of());

    static final int SECRET_MIN = 4;
    static final int VALUE_MIN = 6;

    private record Entry(String value, String shownAs, boolean quoted) {
    }

    private final List<Entry> entries;

    private Redaction(List<Entry> entries) {
        // Longest first, so that a whole value is replaced before a part of it.
        this.entries = entries.stream().filter(e -> !e.value().isEmpty()).distinct()
                .sorted(Comparator.comparingInt((Entry e) -> e.value().length()).reversed()).toList();
    }

    /**
     * The redaction of one connection's settings.
     *
     * @param options what its connector declares (which settings are secrets); a setting not declared counts as one
     * @param env     the environment its references resolve from
     */
    public static Redaction of(ConnectionConfig connection, Collection<ConnectorOption> options, Path root,
                               Map<String, String> env) {
        Set<String> visible = options.stream().filter(o -> !o.secret()).map(ConnectorOption::name)
                .collect(Collectors.toSet());
        return new Redaction(entries(connection.settings(), visible, connection.location(), root, env));
    }

    /** The entries of settings as written, those not {@code visible} being secrets. */
    private static List<Entry> entries(Map<String, String> settings, Set<String> visible, Location location, Path root,
                                       Map<String, String> env) {
        List<Entry> entries = new ArrayList<>();
        settings.forEach((key, raw) -> {
            if (raw == null) return;
            boolean secret = !visible.contains(key);
            SecretTemplate template = SecretTemplate.parse(raw);
            if (!template.errors().isEmpty()) return; // never resolved, so never shown resolved
            if (template.hasReferences()) {
                StringBuilder whole = new StringBuilder();
                boolean complete = true;
                for (SecretTemplate.Part part : template.parts()) {
                    switch (part) {
                        case SecretTemplate.Text text -> whole.append(text.text());
                        case SecretTemplate.Reference reference -> {
                            Optional<String> value = Secrets.tryResolve(reference, location, root, env);
                            value.ifPresent(v -> add(entries, v, reference.written(), secret));
                            if (value.isPresent()) whole.append(value.get());
                            complete &= value.isPresent();
                        }
                    }
                }
                if (complete) add(entries, whole.toString(), raw, secret);
            } else if (secret) {
                add(entries, raw, Secrets.MASK, true);
            }
        });
        return entries;
    }

    /**
     * The redaction of every source's and destination's settings of a project whose connector types are known, and
     * of its PostgreSQL state store's (whose password is a secret).
     */
    public static Redaction of(ProjectConfig project, ConnectorCatalog catalog, Map<String, String> env) {
        List<Entry> entries = new ArrayList<>();
        PostgresState state = project.state().postgres();
        if (state != null) {
            Map<String, String> settings = new java.util.HashMap<>();
            settings.put("url", state.url());
            settings.put("user", state.user());
            if (state.password() != null) settings.put("password", state.password());
            entries.addAll(entries(settings, Set.of("url", "user"), state.location(), project.root(), env));
        }
        for (ConnectionConfig source : project.sources().values()) {
            catalog.sourceOptions(source.type()).ifPresent(options ->
                    entries.addAll(of(source, options, project.root(), env).entries));
        }
        for (ConnectionConfig destination : project.destinations().values()) {
            catalog.destinationOptions(destination.type()).ifPresent(options ->
                    entries.addAll(of(destination, options, project.root(), env).entries));
        }
        return new Redaction(entries);
    }

    private static void add(List<Entry> entries, String value, String shownAs, boolean secret) {
        int min = secret ? SECRET_MIN : VALUE_MIN;
        List<String> forms = new ArrayList<>(List.of(value, value.strip()));
        // A value of several lines may be shown a line at a time.
        for (String line : value.split("\\R")) forms.add(line.strip());
        for (String form : forms) {
            if (form.isBlank()) continue;
            entries.add(new Entry("'" + form + "'", "'" + shownAs + "'", true));
            if (form.length() >= min) entries.add(new Entry(form, shownAs, false));
        }
    }

    /** {@code text} with every resolved value replaced by how it is written; {@code null} stays {@code null}. */
    public String apply(String text) {
        if (text == null || entries.isEmpty()) return text;
        String result = text;
        for (Entry entry : entries) {
            if (entry.quoted()) result = result.replace(entry.value(), entry.shownAs());
        }
        for (Entry entry : entries) {
            if (!entry.quoted()) result = result.replace(entry.value(), entry.shownAs());
        }
        return result;
    }

    /** Whether there is anything to redact. */
    public boolean isEmpty() {
        return entries.isEmpty();
    }
}
