package dev.ebb.connector.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.ebb.connector.jdbc.internal.JdbcSourceConnector;
import dev.ebb.connector.support.Settings;
import dev.ebb.spi.ConnectorContext;
import dev.ebb.spi.ConnectorOption;
import dev.ebb.spi.SourceConnector;
import dev.ebb.spi.SourceException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Each vendor's settings as the URL and driver properties its driver takes, without a driver or a network. */
class VendorSettingsTest {
    private static JdbcSourceConnector.Target target(JdbcSourceConnector connector, String... pairs) {
        Map<String, String> values = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) values.put(pairs[i], pairs[i + 1]);
        return connector.target(new Settings("wh", values, connector.options()));
    }

    @Test
    void everyVendorIsFoundByItsType() {
        List<String> types = ServiceLoader.load(SourceConnector.class).stream().map(p -> p.get().type()).toList();
        assertThat(types).contains("snowflake", "bigquery", "redshift", "databricks", "trino", "clickhouse", "mysql");
    }

    @Test
    void snowflakeMakesTheHostFromTheAccountAndTakesTheRestAsParameters() {
        var target = target(new SnowflakeConnector(), "account", "myorg-acct", "warehouse", "WH", "database", "DB",
                "schema", "MARTS", "role", "READER", "user", "EBB", "password", "pw");
        assertThat(target.url()).isEqualTo("jdbc:snowflake://myorg-acct.snowflakecomputing.com/");
        assertThat(target.properties()).containsEntry("warehouse", "WH").containsEntry("db", "DB")
                .containsEntry("schema", "MARTS").containsEntry("role", "READER").containsEntry("user", "EBB")
                .containsEntry("password", "pw");
    }

    @Test
    void bigQueryUsesAServiceAccountKeyFileOrTheApplicationDefaultCredentials() {
        var withKey = target(new BigQueryConnector(), "project", "p1", "key_file", "/keys/sa.json", "schema", "marts");
        assertThat(withKey.url()).isEqualTo("jdbc:bigquery://https://www.googleapis.com/bigquery/v2:443;ProjectId=p1");
        assertThat(withKey.properties()).containsEntry("OAuthType", "0")
                .containsEntry("OAuthPvtKeyPath", "/keys/sa.json").containsEntry("DefaultDataset", "marts")
                .doesNotContainKey("user");
        assertThat(target(new BigQueryConnector(), "project", "p1").properties()).containsEntry("OAuthType", "3");
    }

    @Test
    void redshiftMySqlAndClickHouseBuildHostUrls() {
        assertThat(target(new RedshiftConnector(), "host", "c.example.com", "database", "dev", "user", "u").url())
                .isEqualTo("jdbc:redshift://c.example.com:5439/dev");
        var mysql = target(new MySqlConnector(), "host", "db.example.com", "port", "3307", "database", "app",
                "user", "u");
        assertThat(mysql.url()).isEqualTo("jdbc:mysql://db.example.com:3307/app");
        assertThat(mysql.properties()).as("streams with a cursor").containsEntry("useCursorFetch", "true");
        var clickhouse = target(new ClickHouseConnector(), "host", "ch.example.com", "schema", "analytics",
                "user", "u");
        assertThat(clickhouse.url()).isEqualTo("jdbc:clickhouse://ch.example.com:8443/analytics");
        assertThat(clickhouse.properties()).containsEntry("ssl", "true");
        assertThat(target(new ClickHouseConnector(), "host", "h", "port", "8123", "user", "u").properties())
                .doesNotContainKey("ssl");
    }

    @Test
    void databricksSignsInWithAToken() {
        var target = target(new DatabricksConnector(), "host", "dbc-1.cloud.databricks.com", "http_path",
                "/sql/1.0/warehouses/abc", "token", "dapi123", "catalog", "main", "schema", "marts");
        assertThat(target.url()).isEqualTo("jdbc:databricks://dbc-1.cloud.databricks.com:443;"
                + "httpPath=/sql/1.0/warehouses/abc");
        assertThat(target.properties()).containsEntry("AuthMech", "3").containsEntry("UID", "token")
                .containsEntry("PWD", "dapi123").containsEntry("ConnCatalog", "main")
                .containsEntry("ConnSchema", "marts");
        assertThat(new DatabricksConnector().options()).filteredOn(ConnectorOption::secret)
                .extracting(ConnectorOption::name).containsExactlyInAnyOrder("token", "password");
    }

    @Test
    void trinoPutsCatalogAndSchemaInThePath() {
        assertThat(target(new TrinoConnector(), "host", "t.example.com", "catalog", "hive", "schema", "marts",
                "user", "u").url()).isEqualTo("jdbc:trino://t.example.com:443/hive/marts");
        assertThatThrownBy(() -> target(new TrinoConnector(), "host", "t", "schema", "marts", "user", "u"))
                .hasMessageContaining("set catalog with schema");
    }

    @Test
    void extraPropertiesAndAUrlAreTakenAsWritten() {
        var target = target(new TrinoConnector(), "url", "jdbc:trino://t:8080/hive", "user", "u",
                "properties", "SSL=true; clientTags = ebb ;");
        assertThat(target.url()).isEqualTo("jdbc:trino://t:8080/hive");
        assertThat(target.properties()).containsEntry("SSL", "true").containsEntry("clientTags", "ebb");
    }

    @Test
    void settingsThatCannotWorkAreRefusedSayingWhatToChange() {
        assertThatThrownBy(() -> target(new MySqlConnector(), "url", "jdbc:mysql://h/app", "host", "h", "user", "u"))
                .hasMessageContaining("set either url or host");
        assertThatThrownBy(() -> target(new MySqlConnector(), "url", "jdbc:postgresql://h/app", "user", "u"))
                .hasMessageContaining("is not a mysql JDBC URL").hasMessageContaining(MySqlConnector.EXAMPLE);
        assertThatThrownBy(() -> target(new MySqlConnector(), "host", "h", "database", "app"))
                .hasMessageContaining("'user' is required");
        assertThatThrownBy(() -> target(new SnowflakeConnector(), "user", "u"))
                .hasMessageContaining("set account");
        assertThatThrownBy(() -> target(new MySqlConnector(), "url", "jdbc:mysql://h/app", "user", "u",
                "properties", "useSSL")).hasMessageContaining("'useSSL' is not key=value");
    }

    static Stream<Arguments> vendors() {
        return Stream.of(
                Arguments.of(new SnowflakeConnector(), "net.snowflake:snowflake-jdbc", new String[]{"account", "a"}),
                Arguments.of(new BigQueryConnector(), "com.google.cloud:google-cloud-bigquery-jdbc",
                        new String[]{"project", "p"}),
                Arguments.of(new RedshiftConnector(), "com.amazon.redshift:redshift-jdbc42",
                        new String[]{"host", "h", "database", "d"}),
                Arguments.of(new DatabricksConnector(), "com.databricks:databricks-jdbc",
                        new String[]{"host", "h", "http_path", "/p"}),
                Arguments.of(new TrinoConnector(), "io.trino:trino-jdbc", new String[]{"host", "h"}),
                Arguments.of(new ClickHouseConnector(), "com.clickhouse:clickhouse-jdbc", new String[]{"host", "h"}),
                Arguments.of(new MySqlConnector(), "com.mysql:mysql-connector-j",
                        new String[]{"host", "h", "database", "d"}));
    }

    /** No vendor driver is on this module's class path, as in Ebb's distribution until a user adds one. */
    @ParameterizedTest
    @MethodSource("vendors")
    void aMissingDriverNamesTheJarToAdd(JdbcSourceConnector connector, String coordinates, String[] address) {
        Map<String, String> settings = new HashMap<>(Map.of("user", "u"));
        for (int i = 0; i < address.length; i += 2) settings.put(address[i], address[i + 1]);
        SourceException missing = catchThrowableOfType(SourceException.class, () -> connector.open(
                new ConnectorContext("wh", settings, Path.of("."), Clock.systemUTC())));
        assertThat(missing.getMessage()).contains("is not installed").contains(coordinates).contains("lib/")
                .contains("EBB_CLASSPATH");
        assertThat(missing.unreachable()).as("an installation to fix, not a server down").isFalse();
    }
}
