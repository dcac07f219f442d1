package dev.ebb.connector.salesforce.sandbox;

import dev.ebb.spi.ConnectorOption;
import dev.ebb.sandbox.SandboxProvider;
import dev.ebb.sandbox.SandboxServer;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/** Registers the Salesforce sandbox for {@code ebb sandbox salesforce --port N}. Stateless. */
public final class SalesforceSandboxProvider implements SandboxProvider {

    @Override
    public String vendor() {
        return "salesforce";
    }

    @Override
    public SandboxServer start(int port, Map<String, String> options) throws IOException {
        SalesforceSandbox sandbox = SalesforceSandbox.fromOptions(port, options);
        sandbox.start();
        return sandbox;
    }

    @Override
    public String description() {
        return "Salesforce OAuth token endpoint, REST describe, sObject Collections, SOQL and Bulk API 2.0 ingest "
                + "jobs (Contact, Account, custom objects), in memory, with Salesforce's validation errors, "
                + "Sforce-Limit-Info and 403 REQUEST_LIMIT_EXCEEDED";
    }

    @Override
    public List<ConnectorOption> options() {
        return List.of(
                ConnectorOption.optional("client_id", "the connected app's consumer key (default "
                        + SalesforceSandbox.DEFAULT_CLIENT_ID + ")"),
                ConnectorOption.optional("client_secret", "its consumer secret (default "
                        + SalesforceSandbox.DEFAULT_CLIENT_SECRET + ")"),
                ConnectorOption.optional("username", "the integration user, a JWT's sub (default "
                        + SalesforceSandbox.DEFAULT_USERNAME + ")"),
                ConnectorOption.optional("jwt_public_key", "a PEM file (public key or certificate) JWT assertions "
                        + "must verify with; without it the JWT bearer flow refuses every assertion"),
                ConnectorOption.optional("refresh_token", "accepted refresh tokens, comma-separated (default "
                        + SalesforceSandbox.DEFAULT_REFRESH_TOKEN + ")"),
                ConnectorOption.optional("client_credentials", "true | false: whether the client credentials flow "
                        + "is enabled (default true)"),
                ConnectorOption.optional("audiences", "accepted JWT aud values besides the sandbox's URL (default "
                        + "https://login.salesforce.com,https://test.salesforce.com)"),
                ConnectorOption.optional("daily_limit", "API requests per rolling 24 hours (default "
                        + SalesforceSandbox.DEFAULT_DAILY_LIMIT + ")"),
                ConnectorOption.optional("bulk_batches", "Bulk API batches per rolling 24 hours (default "
                        + SalesforceSandbox.DEFAULT_BULK_BATCHES + ")"),
                ConnectorOption.optional("bulk_polls", "job-info reads that answer InProgress before a closed job "
                        + "is processed (default 1)"),
                ConnectorOption.optional("session_seconds", "how long access tokens live (default 7200)"),
                ConnectorOption.optional("org_id", "the org id (default " + SalesforceSandbox.DEFAULT_ORG_ID + ")"),
                ConnectorOption.optional("instance_url", "the instance_url token responses name (default: the "
                        + "sandbox's URL)"),
                ConnectorOption.optional("objects", "custom objects to create, e.g. Churn_Signal__c,Renewal__c"),
                ConnectorOption.optional("fields", "fields to add, e.g. Contact.Customer_Key__c:string(80):external:"
                        + "unique,Contact.Churn_Risk_Score__c:double(18,4),Contact.Plan__c:picklist(Free|Pro):restricted"));
    }
}
