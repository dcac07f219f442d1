package dev.ebb.sandbox.braze;

import dev.ebb.sandbox.SandboxProvider;

/** Registers the Braze sandbox for {@code ebb sandbox braze --port N}. Stateless. */
public final class BrazeSandboxProvider extends SandboxProvider {

    public BrazeSandboxProvider() {
        super("braze", "Braze REST API /users/track (attributes, events, purchases) and /custom_attributes, in memory, "
                + "with Braze's per-object errors, the 75-object cap, the 3,000 requests per 3 s limit and 429s",
                BrazeSandbox.SETTINGS, BrazeSandbox::fromOptions);
    }
}
