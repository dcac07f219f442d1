package dev.ebb.connector.webhook;

import dev.ebb.connector.support.Settings;
import dev.ebb.spi.ConnectorContext;
import dev.ebb.spi.ConnectorOption;
import dev.ebb.spi.Destination;
import dev.ebb.spi.DestinationConnector;

import java.net.InetAddress;
import java.util.List;

/**
 * {@code type: webhook}: any HTTP endpoint that takes JSON. Rows are sent one per request, or in batches, as a
 * Mustache template renders them, optionally signed with HMAC-SHA256; answers are read by status (and, for batches,
 * a per-row status array). Refuses private, loopback and link-local addresses unless the entry allows them.
 * Stateless and thread-safe; {@link #open} validates the settings and makes no call.
 *
 * <pre>
 * destinations:
 *   alerts:
 *     type: webhook
 *     url: https://hooks.example.com/ebb
 *     fields: "email, churn_risk_score:number"
 *     signing_secret: "${env:HOOK_SECRET}"
 * </pre>
 */
public final class WebhookConnector implements DestinationConnector {
    public static final String TYPE = "webhook";

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public List<ConnectorOption> options() {
        return List.of(
                ConnectorOption.required("url", "where requests go: an http(s) URL"),
                ConnectorOption.required("fields", "the fields a sync may map, as name or name:type, … (string, "
                        + "number, boolean, date, datetime); the match field is one of them"),
                ConnectorOption.optional("object", "the object name syncs use (default records)"),
                ConnectorOption.optional("method", "POST | PUT | PATCH (default POST)"),
                ConnectorOption.optional("headers", "extra request headers, one Name: value per line"),
                new ConnectorOption("authorization", false, true, "the Authorization header's value, e.g. "
                        + "\"Bearer ${env:HOOK_TOKEN}\""),
                new ConnectorOption("signing_secret", false, true, "signs each request with HMAC-SHA256 over "
                        + "timestamp.body, in the signature header as t=…,v1=…"),
                ConnectorOption.optional("signature_header", "the header carrying the signature (default "
                        + Signature.DEFAULT_HEADER + ")"),
                ConnectorOption.optional("template", "the body as a Mustache template (values JSON-escaped)"),
                ConnectorOption.optional("template_file", "the template in a file, relative to the project"),
                ConnectorOption.optional("per", "row | batch: one request per row (default) or per batch"),
                ConnectorOption.optional("batch_size", "rows per request with per: batch (default "
                        + WebhookSettings.DEFAULT_BATCH_SIZE + ")"),
                ConnectorOption.optional("content_type", "the body's Content-Type (default application/json; a "
                        + "JSON type makes Ebb check the rendered body is JSON)"),
                ConnectorOption.optional("rate_limit", "requests per period, e.g. 10/s, 100/10s, 600/min (default "
                        + WebhookSettings.DEFAULT_RATE + ")"),
                ConnectorOption.optional("max_concurrency", "requests in flight at once (default "
                        + WebhookSettings.DEFAULT_CONCURRENCY + ")"),
                ConnectorOption.optional("accept_status", "statuses that deliver (default "
                        + ResponseRules.DEFAULT_ACCEPT + ")"),
                ConnectorOption.optional("reject_status", "statuses that refuse the row (default 4xx but 401, 403, 407, "
                        + "408, 425, 429)"),
                ConnectorOption.optional("retry_status", "statuses worth trying again (default "
                        + ResponseRules.DEFAULT_RETRY + "); 429 always waits for Retry-After"),
                ConnectorOption.optional("row_status_path", "where a batch answer lists one status per row, e.g. "
                        + "results or data.items"),
                ConnectorOption.optional(AddressGuard.SETTING, "true lets the url reach private, loopback and "
                        + "link-local addresses (default false)"),
                ConnectorOption.optional("timeout_seconds", "how long one request may take (default "
                        + WebhookSettings.DEFAULT_TIMEOUT_SECONDS + ")"));
    }

    @Override
    public Destination open(ConnectorContext context) {
        WebhookSettings settings = WebhookSettings.read(Settings.of(context, options()), context.projectRoot());
        return new WebhookDestination(settings, context.clock(), InetAddress::getAllByName);
    }
}
