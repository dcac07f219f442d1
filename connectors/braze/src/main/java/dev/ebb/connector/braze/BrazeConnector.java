package dev.ebb.connector.braze;

import dev.ebb.connector.support.Settings;
import dev.ebb.spi.ConnectorContext;
import dev.ebb.spi.ConnectorOption;
import dev.ebb.spi.Destination;
import dev.ebb.spi.DestinationConnector;

import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * {@code type: braze}: one Braze workspace, written through {@code POST /users/track} with a REST API key. Stateless
 * and thread-safe; {@link #open} validates the settings and makes no call.
 *
 * <pre>
 * destinations:
 *   braze: { type: braze, base_url: "https://rest.iad-01.braze.com", api_key: "${env:BRAZE_API_KEY}" }
 * </pre>
 */
public final class BrazeConnector implements DestinationConnector {
    public static final String TYPE = "braze";
    public static final int DEFAULT_TIMEOUT_SECONDS = 30;

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public List<ConnectorOption> options() {
        return List.of(
                ConnectorOption.secret("api_key", "a REST API key of the workspace with users.track and "
                        + "custom_attributes.get permissions"),
                ConnectorOption.required("base_url", "the workspace's REST endpoint, e.g. https://rest.iad-01.braze.com "
                        + "(Braze's API overview lists one per instance), or a sandbox's URL"),
                ConnectorOption.optional("alias_label", "the alias_label of user aliases, for syncs that match on "
                        + "user_alias (the model's column is the alias_name)"),
                ConnectorOption.optional("custom_attributes", "custom attributes Braze has not recorded yet, as "
                        + "name:type, … (string, number, boolean, time)"),
                ConnectorOption.optional("event_properties", "properties of events and purchases, as name:type, … "
                        + "(string, number, boolean, time)"),
                ConnectorOption.optional("timeout_seconds", "how long one call may take (default "
                        + DEFAULT_TIMEOUT_SECONDS + ")"));
    }

    @Override
    public Destination open(ConnectorContext context) {
        Settings settings = Settings.of(context, options());
        String apiKey = settings.required("api_key");
        URI baseUrl = settings.origin("base_url", "", "https://rest.iad-01.braze.com or http://127.0.0.1:8089");
        BrazeFields fields = new BrazeFields(
                BrazeFields.declared(settings, "custom_attributes"), BrazeFields.declared(settings, "event_properties"));
        Duration timeout = settings.seconds("timeout_seconds", DEFAULT_TIMEOUT_SECONDS, Long.MAX_VALUE);
        return new BrazeDestination(baseUrl, apiKey, settings.optional("alias_label").orElse(null), fields, timeout,
                context.clock());
    }
}
