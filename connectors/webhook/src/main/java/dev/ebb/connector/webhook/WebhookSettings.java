package dev.ebb.connector.webhook;

import dev.ebb.connector.support.Choices;
import dev.ebb.connector.support.Settings;
import dev.ebb.spi.FieldSpec;
import dev.ebb.spi.FieldType;
import dev.ebb.spi.RateWindow;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A webhook entry's settings, read and checked when it opens (no network call). Every problem names the setting and
 * what to write; header values and secrets are never part of a message. Immutable.
 */
record WebhookSettings(String entry, URI url, String method, Map<String, String> headers, String authorization,
                       Signature signature, String signatureHeader, String object, List<FieldSpec> fields,
                       BodyTemplate template, boolean perRow, int batchSize, String contentType, RateWindow rate,
                       int maxConcurrency, ResponseRules rules, boolean allowPrivateNetwork, Duration timeout) {
    static final List<String> METHODS = List.of("POST", "PUT", "PATCH");
    static final String DEFAULT_RATE = "10/s";
    static final int DEFAULT_BATCH_SIZE = 100;
    static final int MAX_BATCH_SIZE = 10_000;
    static final int DEFAULT_CONCURRENCY = 2;
    static final int DEFAULT_TIMEOUT_SECONDS = 30;
    /** Headers the HTTP client sets itself and refuses from a caller. */
    private static final Set<String> RESTRICTED = Set.of("connection", "content-length", "expect", "host", "upgrade");
    private static final Pattern RATE = Pattern.compile("(\\d+)\\s*/\\s*(\\d*)\\s*(ms|s|sec|second|m|min|minute|h|hour)");
    private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

    static WebhookSettings read(Settings settings, Path projectRoot) {
        URI url = url(settings);
        String method = settings.choice("method", "POST", METHODS, m -> m, "HTTP method");
        String template = settings.optional("template").orElse(null);
        if (settings.optional("template_file").isPresent()) {
            if (template != null) throw settings.problem("set template or template_file, not both");
            Path file = projectRoot.resolve(settings.required("template_file"));
            try {
                template = Files.readString(file);
            } catch (IOException e) {
                throw settings.problem("template_file " + settings.required("template_file")
                        + " cannot be read (" + e.getClass().getSimpleName() + "); give a path relative to the project");
            }
        }
        BodyTemplate body;
        try {
            body = template == null ? BodyTemplate.defaultBody() : BodyTemplate.compile(template, settings.entry());
        } catch (IllegalArgumentException e) {
            throw settings.problem(e.getMessage());
        }
        String per = settings.choice("per", "row", List.of("row", "batch"), p -> p, "request unit (per)");
        boolean perRow = per.equals("row");
        int batchSize = settings.positiveInt("batch_size", DEFAULT_BATCH_SIZE, MAX_BATCH_SIZE);
        if (perRow && settings.optional("batch_size").isPresent()) {
            throw settings.problem("batch_size applies to per: batch; remove it, or set per: batch");
        }
        ResponseRules rules;
        try {
            rules = new ResponseRules(StatusRanges.parse(settings.string("accept_status", ResponseRules.DEFAULT_ACCEPT)),
                    StatusRanges.parse(settings.string("reject_status", ResponseRules.DEFAULT_REJECT)),
                    StatusRanges.parse(settings.string("retry_status", ResponseRules.DEFAULT_RETRY)),
                    settings.optional("row_status_path").orElse(null));
        } catch (IllegalArgumentException e) {
            throw settings.problem("a status setting: " + e.getMessage());
        }
        return new WebhookSettings(settings.entry(), url, method, headers(settings),
                settings.optional("authorization").orElse(null),
                settings.optional("signing_secret").map(Signature::new).orElse(null),
                headerName(settings, "signature_header", Signature.DEFAULT_HEADER),
                settings.string("object", "records"), fields(settings), body, perRow, perRow ? 1 : batchSize,
                settings.string("content_type", "application/json"), rate(settings),
                settings.positiveInt("max_concurrency", DEFAULT_CONCURRENCY, 64), rules,
                settings.bool(AddressGuard.SETTING, false),
                settings.seconds("timeout_seconds", DEFAULT_TIMEOUT_SECONDS, 600));
    }

    /** An http(s) URL with a host; a query is allowed (the request goes there as written). */
    private static URI url(Settings settings) {
        String text = settings.required("url");
        try {
            URI uri = new URI(text);
            if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null) {
                if (uri.getRawUserInfo() != null) {
                    // It would travel into logs and messages with the URL; a credential belongs in a secret setting.
                    throw settings.problem("url carries a user and password; remove them and set authorization "
                            + "(e.g. \"Basic ${env:HOOK_BASIC}\") instead");
                }
                String host = uri.getHost().startsWith("[") ? uri.getHost().substring(1, uri.getHost().length() - 1)
                        : uri.getHost();
                if (!settings.bool(AddressGuard.SETTING, false)) {
                    if (AddressGuard.isLocalName(host)) {
                        throw new IllegalArgumentException(AddressGuard.refusal(settings.entry(), host, null,
                                "this machine's own name"));
                    }
                    literal(host).flatMap(AddressGuard::forbidden).ifPresent(kind -> {
                        throw new IllegalArgumentException(AddressGuard.refusal(settings.entry(), host, null, kind));
                    });
                }
                return uri;
            }
        } catch (URISyntaxException e) {
            // the message below says what is wanted
        }
        throw settings.problem("url '" + text + "' is not an http(s) URL with a host; use e.g. "
                + "https://hooks.example.com/ebb");
    }

    /** The address a host written as an IP literal stands for; empty for a name (resolving it is a lookup). */
    private static Optional<InetAddress> literal(String host) {
        boolean ipv4 = host.matches("[0-9.]+");
        boolean ipv6 = host.contains(":");
        if (!ipv4 && !ipv6) return Optional.empty();
        try {
            return Optional.of(InetAddress.getByName(host));
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    /** {@code Name: value} lines (a YAML block, or lines joined by newlines). */
    private static Map<String, String> headers(Settings settings) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (String line : settings.string("headers", "").split("\\R")) {
            if (line.isBlank()) continue;
            int colon = line.indexOf(':');
            String name = colon < 0 ? line.trim() : line.substring(0, colon).trim();
            if (colon < 1 || !HEADER_NAME.matcher(name).matches()) {
                throw settings.problem("headers line " + (headers.size() + 1) + " should read Name: value "
                        + "(one header per line)");
            }
            if (RESTRICTED.contains(name.toLowerCase(Locale.ROOT))) {
                throw settings.problem("header " + name + " is set by the HTTP client itself; remove it from headers");
            }
            headers.put(name, line.substring(colon + 1).trim());
        }
        return headers;
    }

    private static String headerName(Settings settings, String key, String fallback) {
        String name = settings.string(key, fallback);
        if (!HEADER_NAME.matcher(name).matches()) throw settings.problem(key + " '" + name + "' is not a header name");
        return name;
    }

    /** {@code email, churn_score:number, renewed_on:date}: the fields a sync may map, string unless typed. */
    private static List<FieldSpec> fields(Settings settings) {
        List<FieldType> types = List.of(FieldType.STRING, FieldType.NUMBER, FieldType.BOOLEAN, FieldType.DATE,
                FieldType.DATETIME);
        List<FieldSpec> fields = new ArrayList<>();
        for (String entry : settings.required("fields").split(",")) {
            if (entry.isBlank()) continue;
            String[] parts = entry.trim().split(":");
            String name = parts[0].trim();
            if (parts.length > 2 || name.isEmpty()) {
                throw settings.problem("fields entry '" + entry.trim() + "' should read name or name:type, e.g. "
                        + "churn_score:number");
            }
            FieldType type = FieldType.STRING;
            if (parts.length == 2) {
                try {
                    type = Choices.parse(parts[1], types, Choices::lowerCase, "type of field " + name);
                } catch (IllegalArgumentException e) {
                    throw settings.problem(e.getMessage());
                }
            }
            if (fields.stream().anyMatch(f -> f.name().equals(name))) throw settings.problem("field " + name + " is listed twice");
            fields.add(FieldSpec.of(name, type));
        }
        return fields;
    }

    /** {@code 10/s}, {@code 100/10s}, {@code 600/min}, {@code 5000/h}. */
    private static RateWindow rate(Settings settings) {
        String text = settings.string("rate_limit", DEFAULT_RATE);
        Matcher m = RATE.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (m.matches()) {
            long count = m.group(2).isEmpty() ? 1 : Long.parseLong(m.group(2));
            Duration unit = switch (m.group(3)) {
                case "ms" -> Duration.ofMillis(1);
                case "s", "sec", "second" -> Duration.ofSeconds(1);
                case "m", "min", "minute" -> Duration.ofMinutes(1);
                default -> Duration.ofHours(1);
            };
            long requests = Long.parseLong(m.group(1));
            if (requests >= 1 && requests <= Integer.MAX_VALUE && count >= 1) {
                return new RateWindow((int) requests, unit.multipliedBy(count));
            }
        }
        throw settings.problem("rate_limit '" + text + "' should read requests/period, e.g. 10/s, 100/10s, 600/min");
    }
}
