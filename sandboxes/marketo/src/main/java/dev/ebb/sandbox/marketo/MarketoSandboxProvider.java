package dev.ebb.sandbox.marketo;

import dev.ebb.sandbox.SandboxProvider;

/** Registers the Marketo sandbox for {@code ebb sandbox marketo --port N}. Stateless. */
public final class MarketoSandboxProvider extends SandboxProvider {

    public MarketoSandboxProvider() {
        super("marketo", "Marketo Identity and Lead Database lead endpoints (sync, get by filter, describe, delete), "
                + "in memory, with per-record skipped reasons, expiring tokens and 606/607/615 throttles in 200 bodies",
                MarketoSandbox.SETTINGS, MarketoSandbox::fromOptions);
    }
}
