package dev.ebb.connector.support;

import java.net.http.HttpHeaders;
import java.util.Objects;

/**
 * A vendor's answer to one call: status, headers and the body as text ({@code ""} when there was none).
 */
public record HttpAnswer(int status, HttpHeaders headers, String body) {
    public HttpAnswer {
        Objects.requireNonNull(headers, "headers");
        body = body == null ? "" : body;
    }

    /** Whether the status is 2xx. */
    public boolean ok() {
        return status >= 200 && status < 300;
    }
}
