package dev.ebb.connector.hubspot.sandbox;

import dev.ebb.spi.ConnectorOption;
import dev.ebb.sandbox.SandboxProvider;
import dev.ebb.sandbox.SandboxServer;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/** Registers the HubSpot sandbox for {@code ebb sandbox hubspot --port N}. Stateless. */
public final class HubSpotSandboxProvider implements SandboxProvider {

    @Override
    public String vendor() {
        return "hubspot";
    }

    @Override
    public SandboxServer start(int port, Map<String, String> options) throws IOException {
        HubSpotSandbox sandbox = HubSpotSandbox.fromOptions(port, options);
        sandbox.start();
        return sandbox;
    }

    @Override
    public String description() {
        return "HubSpot CRM v3 objects and properties APIs (contacts, companies, custom objects), in memory, with "
                + "HubSpot's validation, 207 multi-status answers, rate limits and 429s";
    }

    @Override
    public List<ConnectorOption> options() {
        return List.of(
                ConnectorOption.optional("tokens", "accepted bearer tokens, comma-separated (default "
                        + HubSpotSandbox.DEFAULT_TOKEN + "); each token is one account for rate limits"),
                ConnectorOption.optional("tier", "free | starter | professional | enterprise: the rate limits "
                        + "(default starter: 100 per 10 s, 250,000 a day)"),
                ConnectorOption.optional("per_10s", "requests per rolling 10 seconds, overriding the tier"),
                ConnectorOption.optional("daily", "requests per day, overriding the tier"),
                ConnectorOption.optional("portal_id", "the portal id in messages (default "
                        + HubSpotSandbox.DEFAULT_PORTAL_ID + ")"),
                ConnectorOption.optional("time_zone", "the account time zone whose midnight resets the daily count "
                        + "(default UTC)"),
                ConnectorOption.optional("custom_objects", "custom objects to create, e.g. cars:vin,pets "
                        + "(name, and an optional unique property)"),
                ConnectorOption.optional("properties", "extra properties, e.g. contacts.ltv:number,"
                        + "contacts.external_id:string:unique (types: string, number, bool, date, datetime)"));
    }
}
