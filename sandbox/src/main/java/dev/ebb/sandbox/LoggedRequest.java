package dev.ebb.sandbox;

import java.time.Instant;
import java.util.Objects;

/**
 * One vendor request a sandbox received, in its request log. Requests to {@code /_sandbox/} are not logged.
 *
 * @param method the HTTP method
 * @param path   the path, without the query string
 * @param status the status answered, or {@link #DROPPED} when the connection was closed without an answer
 * @param time   when the request arrived, by the sandbox's clock
 * @param fault  the kind of injected fault that hit it, or {@code null}
 */
public record LoggedRequest(String method, String path, int status, Instant time, Fault.Kind fault) {
    /** The status recorded for a request whose connection was dropped. */
    public static final int DROPPED = 0;

    public LoggedRequest {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(time, "time");
    }
}
