package dev.ebb.sandbox.googleads;

import dev.ebb.sandbox.SandboxProvider;

/** Registers the Google Ads sandbox for {@code ebb sandbox google-ads --port N}. Stateless. */
public final class GoogleAdsSandboxProvider extends SandboxProvider {

    public GoogleAdsSandboxProvider() {
        super("google-ads", "Google's Data Manager API for Customer Match (audience members ingest, remove, request "
                + "status, user lists) and its OAuth token endpoint, in memory, with Google's limits, google.rpc.Status "
                + "errors and 429 RESOURCE_EXHAUSTED", GoogleAdsSandbox.SETTINGS, GoogleAdsSandbox::fromOptions);
    }
}
