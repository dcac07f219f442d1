package dev.ebb.sandbox.facebook;

import dev.ebb.sandbox.SandboxProvider;

/** Registers the Meta sandbox for {@code ebb sandbox facebook --port N}. Stateless. */
public final class FacebookSandboxProvider extends SandboxProvider {

    public FacebookSandboxProvider() {
        super("facebook", "Meta Marketing API Custom Audiences (create/read audiences, users add/remove, usersreplace "
                + "sessions), in memory, with Graph errors, 10,000 users a request, invalid-entry counts, the "
                + "custom_audience rate limit and its usage headers", FacebookSandbox.SETTINGS,
                FacebookSandbox::fromOptions);
    }
}
