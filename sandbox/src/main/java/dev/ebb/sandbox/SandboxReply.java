package dev.ebb.sandbox;

import java.util.Objects;

/**
 * A finished answer thrown from deep inside a sandbox's handler (a 404, a vendor's validation error), so that each
 * helper need not pass it back up by hand. The base server answers with it when it leaves {@code handle} or
 * {@code handleSandbox}; a sandbox that adds headers to every answer catches it itself. Carries no stack trace:
 * it is control flow, not a failure.
 */
public final class SandboxReply extends RuntimeException {
    private final transient SandboxResponse response;

    public SandboxReply(SandboxResponse response) {
        super(null, null, false, false);
        this.response = Objects.requireNonNull(response, "response");
    }

    /** The answer to send. */
    public SandboxResponse response() {
        return response;
    }
}
