package dev.ebb.connector.support;

import dev.ebb.spi.ConnectorContext;
import dev.ebb.spi.ConnectorOption;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The settings of one {@code ebb.yaml} entry, read and checked when a connection opens (no network call). Every
 * problem is an {@link IllegalArgumentException} whose message starts with the entry's name, names the setting and
 * says what to write instead; the value of a setting its connector declares {@linkplain ConnectorOption#secret()
 * secret} is never part of a message.
 *
 * <p>Blank values count as absent; values are trimmed.
 */
public final class Settings {
    private final String entry;
    private final Map<String, String> values;
    private final Set<String> secrets;

    /**
     * @param entry   the entry's name, for messages
     * @param values  the entry's settings
     * @param options what the connector declares, for which settings are secrets
     */
    public Settings(String entry, Map<String, String> values, Collection<ConnectorOption> options) {
        this.entry = entry;
        this.values = Map.copyOf(values);
        this.secrets = options.stream().filter(ConnectorOption::secret).map(ConnectorOption::name)
                .collect(Collectors.toUnmodifiableSet());
    }

    /** The settings of the entry being opened. */
    public static Settings of(ConnectorContext context, Collection<ConnectorOption> options) {
        return new Settings(context.name(), context.settings(), options);
    }

    /** The entry's name. */
    public String entry() {
        return entry;
    }

    /** The setting, trimmed; empty when it is absent or blank. */
    public Optional<String> optional(String key) {
        String value = values.get(key);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
    }

    /** The setting, trimmed. */
    public String required(String key) {
        return optional(key).orElseThrow(() -> problem("setting '" + key + "' is required"));
    }

    /**
     * A credential that is sent in an HTTP header ({@code Authorization: Bearer …}), trimmed; empty when absent.
     * A header carries one line of text: a value with a line break or another control character inside it (a token
     * pasted with its line break) is refused here, naming the setting and never showing the value, instead of
     * failing later in the HTTP client, whose message would print the whole header.
     */
    public Optional<String> credential(String key) {
        Optional<String> value = optional(key);
        value.ifPresent(text -> {
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                // What RFC 9110 allows in a field value: tab, visible ASCII and space, obs-text (0x80-0xFF).
                if ((c < 0x20 && c != '\t') || c == 0x7F || c > 0xFF) {
                    throw problem("setting '" + key + "' cannot be sent as a credential: it holds "
                            + (c == '\n' || c == '\r' ? "a line break" : "a control or non-Latin-1 character")
                            + " at character " + (i + 1) + " (the value is not shown); "
                            + "write the credential on one line, without the line break it was pasted with");
                }
            }
        });
        return value;
    }

    /** {@link #credential}, required. */
    public String requiredCredential(String key) {
        return credential(key).orElseThrow(() -> problem("setting '" + key + "' is required"));
    }

    /** The setting, trimmed, or {@code fallback}. */
    public String string(String key, String fallback) {
        return optional(key).orElse(fallback);
    }

    /**
     * An http(s) URL with a host and no query, without trailing slashes or any of {@code suffixes} (what a vendor's
     * admin page shows after the address, such as {@code /api/v2}).
     *
     * @param examples what to write instead, for the message ({@code https://acme.zendesk.com or http://127.0.0.1:8089})
     */
    public URI url(String key, String fallback, String examples, String... suffixes) {
        String text = string(key, fallback);
        return parseUrl(text, suffixes).orElseThrow(() -> problem(key + " " + shown(key, text)
                + " is not an http(s) URL; use e.g. " + examples));
    }

    /** {@link #url} without a path either: the scheme, host and port of a server. */
    public URI origin(String key, String fallback, String examples) {
        String text = string(key, fallback);
        return parseUrl(text).filter(uri -> uri.getRawPath() == null || uri.getRawPath().isEmpty())
                .orElseThrow(() -> problem(key + " " + shown(key, text)
                        + " is not an http(s) URL without a path; use e.g. " + examples));
    }

    private static Optional<URI> parseUrl(String text, String... suffixes) {
        String trimmed = text.trim();
        while (trimmed.endsWith("/")) trimmed = trimmed.substring(0, trimmed.length() - 1);
        for (String suffix : suffixes) {
            if (trimmed.endsWith(suffix)) trimmed = trimmed.substring(0, trimmed.length() - suffix.length());
        }
        try {
            URI uri = new URI(trimmed);
            if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null
                    && uri.getRawQuery() == null) {
                return Optional.of(uri);
            }
        } catch (URISyntaxException e) {
            // not a URL at all
        }
        return Optional.empty();
    }

    /** A whole number from 1 to {@code max}, or {@code fallback}. */
    public long positive(String key, long fallback, long max) {
        Optional<String> text = optional(key);
        if (text.isEmpty()) return fallback;
        try {
            long value = Long.parseLong(text.get());
            if (value > 0 && value <= max) return value;
        } catch (NumberFormatException e) {
            // the message says what is wanted
        }
        throw problem(key + " must be a positive whole number" + (max < Long.MAX_VALUE ? " up to " + max : "")
                + ", not " + shown(key, text.get()));
    }

    /** A whole number from 1 to {@code max} ({@link Integer#MAX_VALUE} at most), or {@code fallback}. */
    public int positiveInt(String key, int fallback, int max) {
        return (int) positive(key, fallback, max);
    }

    /** A number of seconds from 1 to {@code maxSeconds}, as a duration, or {@code fallbackSeconds}. */
    public Duration seconds(String key, long fallbackSeconds, long maxSeconds) {
        return Duration.ofSeconds(positive(key, fallbackSeconds, maxSeconds));
    }

    /** {@code true} or {@code false} (also {@code yes}/{@code no}), or {@code fallback}. */
    public boolean bool(String key, boolean fallback) {
        Optional<String> text = optional(key);
        if (text.isEmpty()) return fallback;
        return switch (text.get().toLowerCase(Locale.ROOT)) {
            case "true", "yes" -> true;
            case "false", "no" -> false;
            default -> throw problem(key + " must be true or false, not " + shown(key, text.get()));
        };
    }

    /**
     * A time zone's region id ({@code America/New_York}) or {@code UTC}, or {@code fallback}.
     *
     * @param hint what to write instead, for the message ({@code a region id, e.g. America/Chicago})
     */
    public ZoneId zone(String key, String fallback, String hint) {
        String text = string(key, fallback);
        try {
            return text.equalsIgnoreCase("UTC") ? ZoneOffset.UTC : ZoneId.of(text);
        } catch (DateTimeException e) {
            throw problem(key + " " + shown(key, text) + " is not a time zone; use " + hint);
        }
    }

    /** One of {@code values} as {@code spelling} spells them (see {@link Choices}), or {@code fallback}. */
    public <E> E choice(String key, E fallback, List<E> values, Function<E, String> spelling, String what) {
        Optional<String> text = optional(key);
        if (text.isEmpty()) return fallback;
        try {
            return Choices.parse(text.get(), values, spelling, what);
        } catch (IllegalArgumentException e) {
            if (secrets.contains(key)) throw problem(key + " is not one of " + Choices.listed(values, spelling, ", "));
            throw problem(e.getMessage());
        }
    }

    /** The setting's value quoted for a message, or a note that it is a secret. */
    private String shown(String key, String text) {
        return secrets.contains(key) ? "(a secret, not shown)" : "'" + text + "'";
    }

    /** A problem with the entry: {@code entry: message}. */
    public IllegalArgumentException problem(String message) {
        return new IllegalArgumentException(entry + ": " + message);
    }
}
