package dev.ebb.core.plan.sql;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ebb.core.plan.sql.Dialect.ColumnDef;
import dev.ebb.core.plan.sql.Dialect.SqlType;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Each dialect's SQL, as generated: what the engines that cannot run here are sent. */
class DialectTest {
    private static Dialect d(String name) {
        return Dialects.named(name).orElseThrow();
    }

    @Test
    void everyEngineHasADialect() {
        assertThat(Dialects.all()).extracting(Dialect::name).containsExactly("duckdb", "postgres", "snowflake",
                "bigquery", "redshift", "databricks", "trino", "clickhouse", "mysql");
        assertThat(Dialects.named("oracle")).isEmpty();
    }

    @Test
    void identifiersAndLiteralsAreQuotedTheEnginesWay() {
        Map<String, List<String>> expected = Map.of(
                "duckdb", List.of("\"a\"\"b\"", "'it''s \\ ok'"),
                "postgres", List.of("\"a\"\"b\"", "'it''s \\ ok'"),
                "snowflake", List.of("\"a\"\"b\"", "'it''s \\ ok'"),
                "redshift", List.of("\"a\"\"b\"", "'it''s \\ ok'"),
                "trino", List.of("\"a\"\"b\"", "'it''s \\ ok'"),
                "bigquery", List.of("`a\"b`", "'it\\'s \\\\ ok'"),
                "databricks", List.of("`a\"b`", "'it\\'s \\\\ ok'"),
                "clickhouse", List.of("`a\"b`", "'it\\'s \\\\ ok'"),
                "mysql", List.of("`a\"b`", "'it\\'s \\\\ ok'"));
        for (Dialect dialect : Dialects.all()) {
            assertThat(List.of(dialect.quote("a\"b"), dialect.literal("it's \\ ok"))).as(dialect.name())
                    .isEqualTo(expected.get(dialect.name()));
        }
        assertThat(d("mysql").quote("a`b")).isEqualTo("`a``b`");
        assertThat(d("bigquery").quote("a`b")).isEqualTo("`a\\`b`");
    }

    @Test
    void theFingerprintsHashIsEachEnginesSha256OfBytes() {
        assertThat(d("duckdb").sha256Hex32(d("duckdb").concat(List.of(d("duckdb").bytes("01"),
                d("duckdb").int32(d("duckdb").byteLength("v")), d("duckdb").utf8("v")))))
                .isEqualTo("left(sha256((from_hex('01') || from_hex(printf('%08x', strlen(v))) || encode(v))), 32)");
        assertThat(d("postgres").sha256Hex32(d("postgres").concat(List.of(d("postgres").bytes("01"),
                d("postgres").int32(d("postgres").byteLength("v")), d("postgres").utf8("v")))))
                .isEqualTo("encode(substring(sha256((decode('01', 'hex') || int4send(CAST(octet_length(convert_to(v,"
                        + " 'UTF8')) AS integer)) || convert_to(v, 'UTF8'))) FROM 1 FOR 16), 'hex')");
        Map<String, String> hashes = Map.of(
                "snowflake", "LEFT(HEX_ENCODE(SHA2_BINARY(b, 256), 0), 32)",
                "bigquery", "SUBSTR(TO_HEX(SHA256(b)), 1, 32)",
                "redshift", "LEFT(SHA2(b, 256), 32)",
                "databricks", "left(sha2(b, 256), 32)",
                "trino", "lower(to_hex(substr(sha256(b), 1, 16)))",
                "clickhouse", "lower(hex(substring(SHA256(b), 1, 16)))",
                "mysql", "LEFT(SHA2(b, 256), 32)");
        hashes.forEach((name, sql) -> assertThat(d(name).sha256Hex32("b")).as(name).isEqualTo(sql));
        Map<String, String> lengths = Map.of(
                "snowflake", "TO_BINARY(LPAD(TRIM(TO_CHAR(n, 'XXXXXXXX')), 8, '0'), 'HEX')",
                "bigquery", "FROM_HEX(LPAD(FORMAT('%x', n), 8, '0'))",
                "redshift", "FROM_HEX(LPAD(TO_HEX(n), 8, '0'))",
                "databricks", "unhex(lpad(hex(n), 8, '0'))",
                "trino", "to_big_endian_32(CAST(n AS integer))",
                "clickhouse", "unhex(leftPad(hex(toUInt32(n)), 8, '0'))",
                "mysql", "UNHEX(LPAD(HEX(n), 8, '0'))");
        lengths.forEach((name, sql) -> assertThat(d(name).int32("n")).as(name).isEqualTo(sql));
        assertThat(d("mysql").utf8("v")).isEqualTo("CAST(CONVERT(v USING utf8mb4) AS BINARY)");
        assertThat(d("bigquery").utf8("v")).isEqualTo("CAST(v AS BYTES)");
        assertThat(d("clickhouse").utf8("v")).isEqualTo("v");
    }

    @Test
    void canonicalTextsFollowTheEnginesFunctions() {
        assertThat(d("postgres").numberText("n")).isEqualTo("CASE WHEN CAST(n AS TEXT) LIKE '%.%' THEN"
                + " RTRIM(RTRIM(CAST(n AS TEXT), '0'), '.') ELSE CAST(n AS TEXT) END");
        assertThat(d("mysql").numberText("n")).contains("TRIM(TRAILING '0' FROM CAST(n AS CHAR))");
        assertThat(d("postgres").instantText("t", "timestamptz")).isEqualTo("(to_char((t AT TIME ZONE 'UTC'),"
                + " 'YYYY-MM-DD\"T\"HH24:MI:SS') || CASE WHEN (CAST(EXTRACT(MICROSECONDS FROM (t AT TIME ZONE 'UTC'))"
                + " AS bigint) % 1000000) = 0 THEN '' WHEN MOD((CAST(EXTRACT(MICROSECONDS FROM (t AT TIME ZONE 'UTC'))"
                + " AS bigint) % 1000000), 1000) = 0 THEN ('.' || LPAD(CAST(((CAST(EXTRACT(MICROSECONDS FROM (t AT"
                + " TIME ZONE 'UTC')) AS bigint) % 1000000) / 1000) AS TEXT), 3, '0')) ELSE ('.' ||"
                + " LPAD(CAST((CAST(EXTRACT(MICROSECONDS FROM (t AT TIME ZONE 'UTC')) AS bigint) % 1000000) AS TEXT),"
                + " 6, '0')) END || 'Z')");
        assertThat(d("mysql").instantText("t", "DATETIME")).startsWith("CONCAT(DATE_FORMAT(t, '%Y-%m-%dT%H:%i:%s'),"
                + " CASE WHEN MICROSECOND(t) = 0");
        assertThat(d("snowflake").instantText("t", "TIMESTAMP_TZ(6)"))
                .contains("CAST(CONVERT_TIMEZONE('UTC', t) AS TIMESTAMP_NTZ)").contains("FLOOR(");
        assertThat(d("bigquery").instantText("t", "TIMESTAMP")).contains("FORMAT_TIMESTAMP('%Y-%m-%dT%H:%M:%S', t,"
                + " 'UTC')").contains("DIV(");
        assertThat(d("databricks").instantText("t", "TIMESTAMP"))
                .contains("to_utc_timestamp(t, current_timezone())").contains(" div ");
        assertThat(d("trino").instantText("t", "timestamp(3) with time zone"))
                .contains("CAST(t AT TIME ZONE 'UTC' AS TIMESTAMP(6))");
        assertThat(d("clickhouse").instantText("t", "DateTime64(6)")).startsWith("concat(formatDateTime(toTimeZone(");
        assertThat(d("redshift").instantText("t", "timestamptz")).contains("CONVERT_TIMEZONE('UTC', t)");
        assertThat(d("duckdb").exactInstant("TIMESTAMP_NS")).isFalse();
        assertThat(d("snowflake").exactInstant("TIMESTAMP_NTZ(9)")).isFalse();
        assertThat(d("snowflake").exactInstant("TIMESTAMP_NTZ(6)")).isTrue();
        assertThat(d("trino").exactInstant("timestamp(9)")).isFalse();
        assertThat(d("clickhouse").exactInstant("DateTime64(9, 'UTC')")).isFalse();
        assertThat(d("mysql").jsonString("v")).isEqualTo("JSON_QUOTE(v)");
        assertThat(d("snowflake").jsonString("v")).startsWith("('\"' || REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(v,"
                + " '\\', '\\\\'), '\"', '\\\"'), CHR(10), '\\n')");
        assertThat(d("mysql").concatText(List.of("a", "b"))).isEqualTo("CONCAT(a, b)");
    }

    @Test
    void temporaryTablesAreEachEnginesOwn() {
        Map<String, String> expected = Map.of(
                "duckdb", "CREATE TEMP TABLE \"cur\" AS SELECT 1",
                "postgres", "CREATE TEMPORARY TABLE \"cur\" AS SELECT 1",
                "snowflake", "CREATE TEMPORARY TABLE \"cur\" AS SELECT 1",
                "bigquery", "CREATE TEMP TABLE `cur` AS SELECT 1",
                "redshift", "CREATE TEMP TABLE \"cur\" AS SELECT 1",
                "databricks", "CREATE OR REPLACE TEMPORARY VIEW `cur` AS SELECT 1",
                "trino", "CREATE TABLE \"cur\" AS SELECT 1",
                "clickhouse", "CREATE TEMPORARY TABLE `cur` ENGINE = Memory AS SELECT 1",
                "mysql", "CREATE TEMPORARY TABLE `cur` AS SELECT 1");
        for (Dialect dialect : Dialects.all()) {
            assertThat(dialect.createTemporaryTable("cur", "SELECT 1")).as(dialect.name())
                    .isEqualTo(expected.get(dialect.name()));
        }
    }

    @Test
    void snapshotTablesAndTheirUpsertAreEachEnginesOwn() {
        List<ColumnDef> columns = List.of(new ColumnDef("sync", SqlType.TEXT), new ColumnDef("key", SqlType.TEXT),
                new ColumnDef("fp", SqlType.TEXT), new ColumnDef("run_id", SqlType.BIGINT));
        List<String> key = List.of("sync", "key");
        List<String> names = List.of("sync", "key", "fp", "run_id");
        assertThat(d("postgres").createTable("\"s\".\"snapshot\"", columns, key)).isEqualTo("CREATE TABLE IF NOT"
                + " EXISTS \"s\".\"snapshot\" (\"sync\" TEXT, \"key\" TEXT, \"fp\" TEXT, \"run_id\" BIGINT, PRIMARY KEY"
                + " (\"sync\", \"key\"))");
        assertThat(d("postgres").upsert("t", "SELECT * FROM n", key, names)).isEqualTo("INSERT INTO t (\"sync\","
                + " \"key\", \"fp\", \"run_id\") SELECT \"sync\", \"key\", \"fp\", \"run_id\" FROM (SELECT * FROM n) AS"
                + " s ON CONFLICT (\"sync\", \"key\") DO UPDATE SET \"fp\" = EXCLUDED.\"fp\", \"run_id\" ="
                + " EXCLUDED.\"run_id\"");
        assertThat(d("duckdb").upsert("t", "q", key, names)).contains("ON CONFLICT (\"sync\", \"key\") DO UPDATE");
        for (String merging : List.of("snowflake", "bigquery", "redshift", "databricks", "trino")) {
            Dialect dialect = d(merging);
            assertThat(dialect.upsert("t", "q", key, names)).as(merging).isEqualTo("MERGE INTO t AS t USING (q) AS s"
                    + " ON t." + dialect.quote("sync") + " = s." + dialect.quote("sync") + " AND t."
                    + dialect.quote("key") + " = s." + dialect.quote("key") + " WHEN MATCHED THEN UPDATE SET "
                    + dialect.quote("fp") + " = s." + dialect.quote("fp") + ", " + dialect.quote("run_id") + " = s."
                    + dialect.quote("run_id") + " WHEN NOT MATCHED THEN INSERT (" + String.join(", ",
                    names.stream().map(dialect::quote).toList()) + ") VALUES (" + String.join(", ",
                    names.stream().map(n -> "s." + dialect.quote(n)).toList()) + ")");
        }
        assertThat(d("mysql").upsert("t", "q", key, names)).isEqualTo("INSERT INTO t (`sync`, `key`, `fp`, `run_id`)"
                + " SELECT `sync`, `key`, `fp`, `run_id` FROM (q) AS s ON DUPLICATE KEY UPDATE `fp` = s.`fp`, `run_id`"
                + " = s.`run_id`");
        assertThat(d("clickhouse").createTable("t", columns, key)).isEqualTo("CREATE TABLE IF NOT EXISTS t (`sync`"
                + " String, `key` String, `fp` Nullable(String), `run_id` Nullable(Int64)) ENGINE = ReplacingMergeTree"
                + " ORDER BY (`sync`, `key`)");
        assertThat(d("clickhouse").upsert("t", "q", key, names)).isEqualTo("INSERT INTO t (`sync`, `key`, `fp`,"
                + " `run_id`) SELECT `sync`, `key`, `fp`, `run_id` FROM (q) AS s");
        assertThat(d("bigquery").createTable("t", columns, key)).isEqualTo("CREATE TABLE IF NOT EXISTS t (`sync`"
                + " STRING, `key` STRING, `fp` STRING, `run_id` INT64, PRIMARY KEY (`sync`, `key`) NOT ENFORCED)");
        assertThat(d("databricks").createTable("t", columns, key)).endsWith("`run_id` BIGINT) USING DELTA");
        assertThat(d("mysql").createTable("t", columns, key)).contains("`key` VARCHAR(768)");
        assertThat(d("trino").createTable("t", columns, key)).doesNotContain("PRIMARY KEY");
    }
}
