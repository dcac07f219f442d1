package dev.ebb.core.config;

/**
 * {@code alerts:} of {@code ebb.yaml}: where {@code ebb serve} says that a sync started failing or recovered, a run
 * rejected too many rows, a guarded run waits for approval, or a quota is spent.
 *
 * @param webhook     a URL that receives each alert as a JSON document, as written (it may be a secret reference,
 *                    resolved only when an alert is sent); {@code null} when not set
 * @param slack       a Slack-compatible incoming-webhook URL ({@code {"text": …}}), as written; {@code null} when not
 *                    set
 * @param maxRejected the rejected rows a run may have without an alert
 * @param location    where {@code alerts:} is written, for messages
 */
public record AlertsConfig(String webhook, String slack, long maxRejected, Location location) {
    /** No {@code alerts:}: nothing is sent. */
    public static final AlertsConfig NONE = new AlertsConfig(null, null, 0, null);

    public boolean any() {
        return webhook != null || slack != null;
    }
}
