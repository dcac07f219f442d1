package dev.ebb.sandbox.hubspot;

import dev.ebb.sandbox.SandboxProvider;

/** Registers the HubSpot sandbox for {@code ebb sandbox hubspot --port N}. Stateless. */
public final class HubSpotSandboxProvider extends SandboxProvider {

    public HubSpotSandboxProvider() {
        super("hubspot", "HubSpot CRM v3 objects and properties APIs (contacts, companies, custom objects), in memory, "
                + "with HubSpot's validation, 207 multi-status answers, rate limits and 429s",
                HubSpotSandbox.SETTINGS, HubSpotSandbox::fromOptions);
    }
}
