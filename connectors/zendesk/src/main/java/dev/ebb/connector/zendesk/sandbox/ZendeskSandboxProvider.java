package dev.ebb.connector.zendesk.sandbox;

import dev.ebb.spi.ConnectorOption;
import dev.ebb.sandbox.SandboxProvider;
import dev.ebb.sandbox.SandboxServer;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/** Registers the Zendesk sandbox for {@code ebb sandbox zendesk --port N}. Stateless. */
public final class ZendeskSandboxProvider implements SandboxProvider {

    @Override
    public String vendor() {
        return "zendesk";
    }

    @Override
    public SandboxServer start(int port, Map<String, String> options) throws IOException {
        ZendeskSandbox sandbox = ZendeskSandbox.fromOptions(port, options);
        sandbox.start();
        return sandbox;
    }

    @Override
    public String description() {
        return "Zendesk Support users, organizations, custom fields and job statuses, in memory, with bulk writes "
                + "as background jobs, Zendesk's validation errors, rate limits and 429s";
    }

    @Override
    public List<ConnectorOption> options() {
        return List.of(
                ConnectorOption.optional("email", "the agent whose API token is accepted (default "
                        + ZendeskSandbox.DEFAULT_EMAIL + ")"),
                ConnectorOption.optional("api_token", "that agent's API token (default "
                        + ZendeskSandbox.DEFAULT_API_TOKEN + ")"),
                ConnectorOption.optional("oauth_tokens", "accepted OAuth bearer tokens, comma-separated"),
                ConnectorOption.optional("plan", "team | growth | professional | enterprise | enterprise_plus | "
                        + "high_volume: the requests per minute (default team: 200)"),
                ConnectorOption.optional("per_minute", "requests per minute, overriding the plan"),
                ConnectorOption.optional("job_limit", "jobs queued or running at once (default 30)"),
                ConnectorOption.optional("job_seconds", "how long a job takes from queued to completed (default 1)"),
                ConnectorOption.optional("job_retention", "how many job statuses are kept (default 100)"),
                ConnectorOption.optional("job_ttl_seconds", "how long a job status can be read (default 3600)"),
                ConnectorOption.optional("imports", "enabled | disabled: whether bulk imports (create_many, "
                        + "create_or_update_many) are allowed (default enabled)"),
                ConnectorOption.optional("user_fields", "custom user fields, e.g. churn_risk:decimal,"
                        + "plan:dropdown=free|pro (types: text, textarea, checkbox, date, integer, decimal, "
                        + "regexp=PATTERN, dropdown=a|b)"),
                ConnectorOption.optional("organization_fields", "custom organization fields, same form"));
    }
}
