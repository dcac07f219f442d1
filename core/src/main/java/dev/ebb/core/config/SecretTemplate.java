package dev.ebb.core.config;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A setting's value split into literal text and secret references ({@code ${env:NAME}}, {@code ${file:path}}).
 * A doubled dollar sign before a brace writes a literal dollar and brace. Immutable.
 *
 * @param parts  the value, in order
 * @param errors what is wrong with the reference syntax, one sentence each; empty when the value is well formed
 */
record SecretTemplate(List<Part> parts, List<String> errors) {
    static final List<String> SCHEMES = List.of("env", "file");
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    SecretTemplate {
        parts = List.copyOf(parts);
        errors = List.copyOf(errors);
    }

    sealed interface Part permits Text, Reference {
    }

    record Text(String text) implements Part {
    }

    /** @param written the reference as written, e.g. {@code ${env:TOKEN}}: safe to print, it holds no secret */
    record Reference(String scheme, String argument, String written) implements Part {
    }

    static SecretTemplate parse(String raw) {
        List<Part> parts = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        int i = 0;
        while (i < raw.length()) {
            if (raw.startsWith("$${", i)) {
                text.append("${");
                i += 3;
            } else if (raw.startsWith("${", i)) {
                int end = raw.indexOf('}', i + 2);
                if (end < 0) {
                    // Not echoing the rest of the value: in a literal secret, it would be the secret.
                    errors.add("the '${' at character " + (i + 1) + " is not closed; end the reference with '}'"
                            + " (write $${ for a literal ${)");
                    break;
                }
                String written = raw.substring(i, end + 1);
                String body = raw.substring(i + 2, end);
                int colon = body.indexOf(':');
                if (colon < 0) {
                    errors.add("'" + written + "' names no scheme; write ${env:" + body + "} for an environment"
                            + " variable or ${file:" + body + "} for a file");
                } else {
                    String scheme = body.substring(0, colon);
                    String argument = body.substring(colon + 1);
                    check(written, scheme, argument, errors);
                    if (text.length() > 0) {
                        parts.add(new Text(text.toString()));
                        text.setLength(0);
                    }
                    parts.add(new Reference(scheme, argument, written));
                }
                i = end + 1;
            } else {
                text.append(raw.charAt(i));
                i++;
            }
        }
        if (text.length() > 0) {
            parts.add(new Text(text.toString()));
        }
        return new SecretTemplate(parts, errors);
    }

    private static void check(String written, String scheme, String argument, List<String> errors) {
        switch (scheme) {
            case "env" -> {
                if (!ENV_NAME.matcher(argument).matches()) {
                    errors.add("'" + written + "': '" + argument + "' is not an environment variable name"
                            + " (letters, digits and '_', not starting with a digit)");
                }
            }
            case "file" -> {
                if (argument.isBlank()) {
                    errors.add("'" + written + "' names no file; write ${file:path/to/secret}, relative to the"
                            + " project root");
                }
            }
            default -> errors.add("unknown reference scheme '" + scheme + "' in '" + written + "'"
                    + Suggestions.didYouMean(scheme, SCHEMES)
                    + "; Ebb resolves ${env:NAME} and ${file:path}");
        }
    }

    boolean hasReferences() {
        return parts.stream().anyMatch(Reference.class::isInstance);
    }

    /** Whether the value is nothing but references, so that printing it as written reveals no secret. */
    boolean onlyReferences() {
        return !parts.isEmpty() && parts.stream().allMatch(Reference.class::isInstance);
    }
}
