package dev.ebb.connector.jdbc;

import dev.ebb.connector.jdbc.internal.JdbcSourceConnector;
import dev.ebb.connector.support.Settings;
import dev.ebb.spi.ConnectorOption;
import dev.ebb.spi.SqlEngine;
import java.util.List;
import java.util.Properties;

/**
 * {@code type: bigquery}, through Google's JDBC driver for BigQuery
 * (https://cloud.google.com/bigquery/docs/jdbc-for-bigquery): the project, a service account's key file
 * ({@code OAuthType=0}), and the dataset as {@code schema} ({@code DefaultDataset}). Stateless and thread-safe.
 *
 * <pre>
 * sources:
 *   bq: { type: bigquery, project: my-project, key_file: "${env:BIGQUERY_KEY_FILE}", schema: marts }
 * </pre>
 */
public final class BigQueryConnector extends JdbcSourceConnector {
    static final String PROJECT = "project";
    static final String KEY_FILE = "key_file";
    static final String SERVICE_ACCOUNT = "service_account";
    static final String ENDPOINT = "https://www.googleapis.com/bigquery/v2:443";
    static final String EXAMPLE = "jdbc:bigquery://" + ENDPOINT + ";ProjectId=my-project;OAuthType=3";

    @Override
    public String type() {
        return "bigquery";
    }

    @Override
    protected String driverClass() {
        return "com.google.cloud.bigquery.jdbc.BigQueryDriver";
    }

    @Override
    protected String driverCoordinates() {
        return "com.google.cloud:google-cloud-bigquery-jdbc";
    }

    @Override
    protected String urlPrefix() {
        return "jdbc:bigquery:";
    }

    @Override
    protected String urlExample() {
        return EXAMPLE;
    }

    @Override
    protected String dialect() {
        return SqlEngine.BIGQUERY;
    }

    @Override
    protected List<ConnectorOption> vendorOptions() {
        return List.of(
                ConnectorOption.optional(PROJECT, "the Google Cloud project that runs (and pays for) the queries"),
                ConnectorOption.optional(KEY_FILE, "a service account's JSON key file; without it, the machine's"
                        + " application default credentials"),
                ConnectorOption.optional(SERVICE_ACCOUNT, "the service account's email, with key_file"));
    }

    @Override
    protected List<String> addressParts() {
        return List.of(PROJECT);
    }

    @Override
    protected boolean userRequired() {
        return false;
    }

    @Override
    protected String url(Settings settings) {
        String project = settings.optional(PROJECT).orElseThrow(() -> settings.problem("set project (or url)"));
        return "jdbc:bigquery://" + ENDPOINT + ";ProjectId=" + project;
    }

    /** OAuthType 0 is a service account, 3 the application default credentials. */
    @Override
    protected void properties(Settings settings, Properties properties) {
        if (settings.optional(KEY_FILE).isPresent()) {
            properties.setProperty("OAuthType", "0");
            properties.setProperty("OAuthPvtKeyPath", settings.required(KEY_FILE));
            settings.optional(SERVICE_ACCOUNT).ifPresent(value -> properties.setProperty("OAuthServiceAcctEmail",
                    value));
        } else if (settings.optional(URL).isEmpty()) {
            properties.setProperty("OAuthType", "3");
        }
        settings.optional(SCHEMA).ifPresent(value -> properties.setProperty("DefaultDataset", value));
    }
}
