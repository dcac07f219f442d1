package dev.ebb.sandbox;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A fault a sandbox applies to the next {@code count} vendor requests whose path starts with {@code pathPrefix}.
 * Faults wait in a queue; a request takes the first fault that matches it, and a fault leaves the queue once it
 * has been applied {@code count} times.
 *
 * @param kind       what goes wrong
 * @param count      how many matching requests it hits, at least 1
 * @param pathPrefix only requests whose path starts with it, or {@code null} for every vendor request
 * @param status     for {@link Kind#STATUS}: the HTTP status to answer (e.g. 500, 502, 503); 0 otherwise
 * @param body       for {@link Kind#STATUS}: the body to answer, or {@code null} for the sandbox's default
 * @param latency    for {@link Kind#LATENCY}: how long to hold the request before handling it; zero otherwise
 * @param headers    for {@link Kind#STATUS} and {@link Kind#THROTTLE}: headers added to the answer, such as the
 *                   {@code Retry-After} a gateway in front of the vendor may send; empty for none
 */
public record Fault(Kind kind, int count, String pathPrefix, int status, String body, Duration latency,
                    Map<String, String> headers) {

    /** The kinds of fault, as spelled in the {@code /_sandbox/faults} JSON ({@code "kind": "status"}). */
    public enum Kind {
        /** Answer with {@link Fault#status()} and {@link Fault#body()} instead of handling the request. */
        STATUS,
        /** Answer with the vendor's own throttling response (its 429 and body), as the sandbox subclass makes it. */
        THROTTLE,
        /** Hold the request for {@link Fault#latency()}, then handle it normally. */
        LATENCY,
        /** Close the connection without answering. */
        DROP
    }

    public Fault {
        Objects.requireNonNull(kind, "kind");
        if (count < 1) throw new IllegalArgumentException("a fault hits at least 1 request: " + count);
        latency = latency == null ? Duration.ZERO : latency;
        headers = headers == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(headers));
        switch (kind) {
            case STATUS -> {
                if (status < 100 || status > 599) {
                    throw new IllegalArgumentException("a status fault needs an HTTP status between 100 and 599: "
                            + status);
                }
            }
            case LATENCY -> {
                if (latency.isNegative() || latency.isZero()) {
                    throw new IllegalArgumentException("a latency fault needs a positive latency: " + latency);
                }
            }
            case THROTTLE, DROP -> { }
        }
        if (!headers.isEmpty() && (kind == Kind.LATENCY || kind == Kind.DROP)) {
            throw new IllegalArgumentException("only a status or throttle fault answers, so only they carry headers");
        }
    }

    /** A fault without headers. */
    public Fault(Kind kind, int count, String pathPrefix, int status, String body, Duration latency) {
        this(kind, count, pathPrefix, status, body, latency, Map.of());
    }

    /** Answer {@code count} requests with {@code status} and the sandbox's default error body. */
    public static Fault status(int status, int count) {
        return new Fault(Kind.STATUS, count, null, status, null, Duration.ZERO);
    }

    /** Answer {@code count} requests with the vendor's throttling response. */
    public static Fault throttle(int count) {
        return new Fault(Kind.THROTTLE, count, null, 0, null, Duration.ZERO);
    }

    /** Hold {@code count} requests for {@code latency} before handling them. */
    public static Fault latency(Duration latency, int count) {
        return new Fault(Kind.LATENCY, count, null, 0, null, latency);
    }

    /** Close the connection of {@code count} requests without an answer. */
    public static Fault drop(int count) {
        return new Fault(Kind.DROP, count, null, 0, null, Duration.ZERO);
    }

    /** The same fault, limited to requests whose path starts with {@code prefix}. */
    public Fault onPath(String prefix) {
        return new Fault(kind, count, prefix, status, body, latency, headers);
    }

    /** The same status fault with this body. */
    public Fault withBody(String body) {
        return new Fault(kind, count, pathPrefix, status, body, latency, headers);
    }

    /** The same status or throttle fault, answering with one more header (e.g. {@code Retry-After: 1}). */
    public Fault withHeader(String name, String value) {
        Map<String, String> more = new LinkedHashMap<>(headers);
        more.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
        return new Fault(kind, count, pathPrefix, status, body, latency, more);
    }

    /** The same fault with {@code left} hits to go. */
    Fault withCount(int left) {
        return new Fault(kind, left, pathPrefix, status, body, latency, headers);
    }

    /** Whether the fault applies to a request for {@code path}. */
    public boolean matches(String path) {
        return pathPrefix == null || path.startsWith(pathPrefix);
    }
}
