package dev.ebb.sandbox.zendesk;

import dev.ebb.sandbox.SandboxProvider;

/** Registers the Zendesk sandbox for {@code ebb sandbox zendesk --port N}. Stateless. */
public final class ZendeskSandboxProvider extends SandboxProvider {

    public ZendeskSandboxProvider() {
        super("zendesk", "Zendesk Support users, organizations, custom fields and job statuses, in memory, with bulk "
                + "writes as background jobs, Zendesk's validation errors, rate limits and 429s",
                ZendeskSandbox.SETTINGS, ZendeskSandbox::fromOptions);
    }
}
