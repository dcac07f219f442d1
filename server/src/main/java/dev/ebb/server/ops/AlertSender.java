package dev.ebb.server.ops;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ebb.core.config.Redaction;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends alerts: as a JSON document to a webhook, and as {@code {"text": …}} to a Slack-compatible incoming webhook.
 * One POST per alert and URL; an alert that cannot be delivered is logged (without its URL, which for Slack is the
 * credential) and dropped, never retried in a loop: the next condition change sends again. Thread-safe.
 */
final class AlertSender {
    private static final Logger LOG = LoggerFactory.getLogger(AlertSender.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final String project;
    private final URI webhook;
    private final URI slack;
    private final Redaction redaction;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT)
            .followRedirects(HttpClient.Redirect.NEVER).build();

    /** {@code webhook} and {@code slack} are resolved URLs, either may be null. */
    AlertSender(String project, URI webhook, URI slack, Redaction redaction) {
        this.project = project;
        this.webhook = webhook;
        this.slack = slack;
        this.redaction = redaction;
    }

    void send(Alert alert) {
        String message = redaction.apply(alert.message());
        if (webhook != null) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("project", project);
            doc.put("event", alert.event());
            doc.put("condition", alert.condition().label());
            doc.put("cleared", alert.cleared());
            doc.put("sync", alert.sync());
            doc.put("run_id", alert.runId());
            doc.put("status", alert.status());
            doc.put("message", message);
            doc.put("at", alert.at().toString());
            post(webhook, doc, "webhook", alert);
        }
        if (slack != null) {
            String mark = alert.cleared() ? ":white_check_mark:" : ":warning:";
            post(slack, Map.of("text", mark + " [" + project + "] " + message), "slack", alert);
        }
    }

    private void post(URI url, Map<String, Object> body, String target, Alert alert) {
        try {
            HttpRequest request = HttpRequest.newBuilder(url).timeout(TIMEOUT)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build();
            HttpResponse<Void> answer = http.send(request, HttpResponse.BodyHandlers.discarding());
            if (answer.statusCode() / 100 != 2) {
                LOG.warn("the {} alert '{}' of sync {} was refused with HTTP {}", target, alert.event(),
                        alert.sync(), answer.statusCode());
            }
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an alert is plain strings and numbers", e);
        } catch (IOException e) {
            LOG.warn("the {} alert '{}' of sync {} could not be sent: {}", target, alert.event(), alert.sync(),
                    e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
