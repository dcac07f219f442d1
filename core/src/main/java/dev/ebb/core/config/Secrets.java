package dev.ebb.core.config;

import dev.ebb.spi.ConnectorOption;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Secret references in connection settings: {@code ${env:NAME}} (an environment variable) and {@code ${file:path}}
 * (a file's content, relative to the project root, trailing line breaks removed). A reference may sit inside other
 * text ({@code "Bearer ${env:TOKEN}"}); a doubled dollar sign writes a literal dollar and brace.
 *
 * <p>The loader only checks the references' syntax; they are resolved here, when a connection is opened, so that a
 * secret lives in memory only as long as the connection needs it. Messages name the variable or the file and the
 * setting's location, never a value. Stateless and thread-safe.
 */
public final class Secrets {
    /** What {@link #redact} shows instead of a secret. */
    public static final String MASK = "******";

    private Secrets() {
    }

    /**
     * Resolves every reference in {@code raw}; text without references comes back unchanged.
     *
     * @param raw      the value as written in the project
     * @param location where it is written, for messages
     * @param root     the project root, against which {@code ${file:…}} paths resolve
     * @param env      the environment ({@code System.getenv()} in production, a map in tests)
     * @throws ConfigException naming the missing variable or unreadable file, never revealing a value
     */
    public static String resolve(String raw, Location location, Path root, Map<String, String> env)
            throws ConfigException {
        Problems problems = new Problems();
        String resolved = resolve(raw, location, "", root, env, problems);
        if (problems.hasErrors()) {
            throw new ConfigException(problems.errors());
        }
        return resolved;
    }

    /**
     * Resolves every setting of a connection, reporting every unresolvable reference at once.
     *
     * @return setting name to resolved value, sorted by name; unmodifiable. Hand it to the connector and drop it:
     *         never print, log or store it (see {@link #redact}).
     * @throws ConfigException naming each missing variable or unreadable file and the setting that needs it
     */
    public static Map<String, String> resolveAll(ConnectionConfig connection, Path root, Map<String, String> env)
            throws ConfigException {
        Problems problems = new Problems();
        Map<String, String> resolved = new TreeMap<>();
        for (Map.Entry<String, String> setting : new TreeMap<>(connection.settings()).entrySet()) {
            String subject = "setting '" + setting.getKey() + "' of '" + connection.name() + "': ";
            resolved.put(setting.getKey(),
                    resolve(setting.getValue(), connection.location(), subject, root, env, problems));
        }
        if (problems.hasErrors()) {
            throw new ConfigException(problems.errors());
        }
        return Collections.unmodifiableMap(resolved);
    }

    /** Whether {@code raw} holds at least one well-formed or malformed reference. */
    public static boolean hasReference(String raw) {
        SecretTemplate template = SecretTemplate.parse(raw);
        return template.hasReferences() || !template.errors().isEmpty();
    }

    /**
     * A copy of {@code settings} that is safe to print: the value of every option declared {@link
     * ConnectorOption#secret() secret}, and of every setting the options do not declare, is replaced by {@link
     * #MASK}, unless it is written as nothing but references ({@code ${env:TOKEN}} names a variable, not its value).
     * Works on settings as written (a literal secret is masked, a reference shown) and as resolved (everything
     * secret is masked).
     *
     * @return setting name to printable value, in the order of {@code settings}' iteration
     */
    public static Map<String, String> redact(Map<String, String> settings, Collection<ConnectorOption> options) {
        Set<String> visible = options.stream().filter(o -> !o.secret()).map(ConnectorOption::name)
                .collect(Collectors.toSet());
        Map<String, String> printable = new LinkedHashMap<>();
        settings.forEach((key, value) ->
                printable.put(key, visible.contains(key) || writtenAsReferences(value) ? value : MASK));
        return Collections.unmodifiableMap(printable);
    }

    private static boolean writtenAsReferences(String value) {
        if (value == null) {
            return false;
        }
        SecretTemplate template = SecretTemplate.parse(value);
        return template.errors().isEmpty() && template.onlyReferences();
    }

    private static String resolve(String raw, Location location, String subject, Path root, Map<String, String> env,
                                  Problems problems) {
        SecretTemplate template = SecretTemplate.parse(raw);
        for (String error : template.errors()) {
            problems.error(location, subject + error);
        }
        if (!template.errors().isEmpty()) {
            return raw;
        }
        StringBuilder resolved = new StringBuilder();
        for (SecretTemplate.Part part : template.parts()) {
            switch (part) {
                case SecretTemplate.Text text -> resolved.append(text.text());
                case SecretTemplate.Reference reference -> resolved.append(
                        resolve(reference, location, subject, root, env, problems));
            }
        }
        return resolved.toString();
    }

    /** One reference's value, or empty when it cannot be resolved (the resolving call reports why). */
    static java.util.Optional<String> tryResolve(SecretTemplate.Reference reference, Location location, Path root,
                                                 Map<String, String> env) {
        Problems problems = new Problems();
        String value = resolve(reference, location, "", root, env, problems);
        return problems.hasErrors() ? java.util.Optional.empty() : java.util.Optional.of(value);
    }

    private static String resolve(SecretTemplate.Reference reference, Location location, String subject, Path root,
                                  Map<String, String> env, Problems problems) {
        return switch (reference.scheme()) {
            case "env" -> {
                String value = env.get(reference.argument());
                if (value == null) {
                    problems.error(location, subject + "environment variable " + reference.argument()
                            + " is not set (referenced as " + reference.written() + "); set it in the environment"
                            + " Ebb runs in");
                    yield "";
                }
                yield value;
            }
            case "file" -> readFile(reference, location, subject, root, problems);
            // The template's syntax check reports unknown schemes, so none reaches here.
            default -> throw new IllegalStateException("unchecked scheme " + reference.scheme());
        };
    }

    private static String readFile(SecretTemplate.Reference reference, Location location, String subject, Path root,
                                   Problems problems) {
        String file = reference.argument();
        String problem;
        try {
            Path path = root.resolve(file);
            if (Files.isDirectory(path)) {
                problem = "is a folder, not a file";
            } else {
                // Trailing line breaks are how editors and `echo` end a file, never part of a credential.
                return stripTrailingLineBreaks(Files.readString(path, StandardCharsets.UTF_8));
            }
        } catch (NoSuchFileException e) {
            problem = "does not exist; create it or correct the path (it is relative to the project root)";
        } catch (AccessDeniedException e) {
            problem = "cannot be read: permission denied";
        } catch (CharacterCodingException e) {
            problem = "is not UTF-8 text";
        } catch (InvalidPathException e) {
            problem = "is not a valid path";
        } catch (IOException e) {
            // The exception's message would name the machine's path; its type says enough.
            problem = "cannot be read (" + e.getClass().getSimpleName() + ")";
        }
        problems.error(location, subject + "file '" + file + "' (referenced as " + reference.written() + ") "
                + problem);
        return "";
    }

    private static String stripTrailingLineBreaks(String content) {
        int end = content.length();
        while (end > 0 && (content.charAt(end - 1) == '\n' || content.charAt(end - 1) == '\r')) {
            end--;
        }
        return content.substring(0, end);
    }
}
