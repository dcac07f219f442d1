package dev.ebb.sandbox.zendesk;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The definition of a custom user or organization field, as {@code POST /api/v2/user_fields} takes it
 * (https://developer.zendesk.com/api-reference/ticketing/users/user_fields/): a {@code key} (how the value is named in
 * a record's {@code user_fields}), a {@code type}, a {@code title}, dropdown options and a validation pattern.
 *
 * @param key     letters, digits and underscores
 * @param type    one of {@link #TYPES}
 * @param title   the label agents see, used in validation messages
 * @param options for {@code dropdown}: the options, each a label ({@code name}) and a tag ({@code value})
 * @param regexp  for {@code regexp}: the pattern values must match, else {@code null}
 * @param active  inactive fields keep their values but take no writes
 */
public record CustomField(String key, String type, String title, List<Option> options, String regexp,
                          boolean active) {
    /** Zendesk's custom field types for users and organizations. */
    public static final Set<String> TYPES =
            Set.of("text", "textarea", "checkbox", "date", "integer", "decimal", "regexp", "dropdown");

    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9_]+");

    /** A dropdown option: the label agents see and the tag stored as the value. */
    public record Option(String name, String value) {
        public Option {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(value, "value");
        }
    }

    public CustomField {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(type, "type");
        if (!KEY.matcher(key).matches()) {
            throw new IllegalArgumentException("field key '" + key + "' may hold letters, digits and underscores only");
        }
        if (!TYPES.contains(type)) {
            throw new IllegalArgumentException("field type '" + type + "' is not one of " + TYPES.stream().sorted().toList());
        }
        title = title == null || title.isBlank() ? defaultTitle(key) : title;
        options = List.copyOf(options == null ? List.of() : options);
        if (type.equals("dropdown") && options.isEmpty()) {
            throw new IllegalArgumentException("dropdown field '" + key + "' needs at least one option");
        }
        if (type.equals("regexp")) {
            if (regexp == null || regexp.isBlank()) {
                throw new IllegalArgumentException("regexp field '" + key + "' needs a pattern");
            }
            try {
                Pattern.compile(regexp);
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException("regexp field '" + key + "': " + e.getDescription());
            }
        }
    }

    /** An active field of a type without options or pattern. */
    public static CustomField of(String key, String type) {
        return new CustomField(key, type, null, List.of(), null, true);
    }

    /** An active dropdown whose options' tags are {@code values} (labels are the same words, capitalised). */
    public static CustomField dropdown(String key, String... values) {
        List<Option> options = new ArrayList<>();
        for (String value : values) options.add(new Option(defaultTitle(value), value));
        return new CustomField(key, "dropdown", null, options, null, true);
    }

    /** An active regexp field. */
    public static CustomField regexp(String key, String pattern) {
        return new CustomField(key, "regexp", null, List.of(), pattern, true);
    }

    /** The same field, inactive. */
    public CustomField inactive() {
        return new CustomField(key, type, title, options, regexp, false);
    }

    /**
     * Parses {@code key:type}, {@code key:dropdown=a|b|c} or {@code key:regexp=PATTERN}, the form of the sandbox's
     * {@code user_fields} and {@code organization_fields} options.
     */
    public static CustomField parse(String spec) {
        String text = spec.trim();
        int colon = text.indexOf(':');
        if (colon < 1) {
            throw new IllegalArgumentException("field '" + text + "' should read key:type, e.g. churn_risk:decimal or "
                    + "plan:dropdown=free|pro");
        }
        String key = text.substring(0, colon).trim();
        String rest = text.substring(colon + 1).trim();
        int eq = rest.indexOf('=');
        String type = (eq < 0 ? rest : rest.substring(0, eq)).trim().toLowerCase(Locale.ROOT);
        String argument = eq < 0 ? null : rest.substring(eq + 1);
        return switch (type) {
            case "dropdown" -> {
                if (argument == null || argument.isBlank()) {
                    throw new IllegalArgumentException("dropdown field '" + key + "' needs options: " + key
                            + ":dropdown=free|pro");
                }
                yield dropdown(key, argument.split("\\|"));
            }
            case "regexp" -> regexp(key, argument);
            default -> {
                if (argument != null) {
                    throw new IllegalArgumentException("field '" + text + "': only dropdown and regexp take '='");
                }
                yield of(key, type);
            }
        };
    }

    private static String defaultTitle(String key) {
        String words = key.replace('_', ' ').trim();
        return words.isEmpty() ? key : Character.toUpperCase(words.charAt(0)) + words.substring(1);
    }
}
