package dev.ebb.connector.marketo.sandbox;

import dev.ebb.spi.ConnectorOption;
import dev.ebb.sandbox.SandboxProvider;
import dev.ebb.sandbox.SandboxServer;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/** Registers the Marketo sandbox for {@code ebb sandbox marketo --port N}. Stateless. */
public final class MarketoSandboxProvider implements SandboxProvider {

    @Override
    public String vendor() {
        return "marketo";
    }

    @Override
    public SandboxServer start(int port, Map<String, String> options) throws IOException {
        MarketoSandbox sandbox = MarketoSandbox.fromOptions(port, options);
        sandbox.start();
        return sandbox;
    }

    @Override
    public String description() {
        return "Marketo Identity and Lead Database lead endpoints (sync, get by filter, describe, delete), in memory, "
                + "with per-record skipped reasons, expiring tokens and 606/607/615 throttles in 200 bodies";
    }

    @Override
    public List<ConnectorOption> options() {
        return List.of(
                ConnectorOption.optional("client_id", "the custom service's client id (default "
                        + MarketoSandbox.DEFAULT_CLIENT_ID + ")"),
                ConnectorOption.optional("client_secret", "its client secret (default "
                        + MarketoSandbox.DEFAULT_CLIENT_SECRET + ")"),
                ConnectorOption.optional("scope", "the API-only user reported as the token's scope"),
                ConnectorOption.optional("per_20s", "calls per sliding 20 seconds (default 100)"),
                ConnectorOption.optional("daily", "calls per day (default 50000)"),
                ConnectorOption.optional("concurrency", "calls in flight at once (default 10)"),
                ConnectorOption.optional("time_zone", "the zone whose midnight resets the daily quota "
                        + "(default America/Chicago)"),
                ConnectorOption.optional("token_ttl_s", "lifespan of a new access token in seconds (default 3600)"),
                ConnectorOption.optional("processing_ms", "how long each REST call holds its concurrency slot "
                        + "(default 0)"),
                ConnectorOption.optional("fields", "custom lead fields, e.g. churnRiskScore:float,plan:string "
                        + "(Marketo data types)"));
    }
}
