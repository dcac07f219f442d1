package dev.ebb.sandbox.salesforce;

import dev.ebb.sandbox.SandboxProvider;

/** Registers the Salesforce sandbox for {@code ebb sandbox salesforce --port N}. Stateless. */
public final class SalesforceSandboxProvider extends SandboxProvider {

    public SalesforceSandboxProvider() {
        super("salesforce", "Salesforce OAuth token endpoint, REST describe, sObject Collections, SOQL and Bulk API 2.0 "
                + "ingest jobs (Contact, Account, custom objects), in memory, with Salesforce's validation errors, "
                + "Sforce-Limit-Info and 403 REQUEST_LIMIT_EXCEEDED",
                SalesforceSandbox.SETTINGS, SalesforceSandbox::fromOptions);
    }
}
