package dev.ebb.connector.postgres;

import dev.ebb.spi.FieldType;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;

import static org.assertj.core.api.Assertions.assertThat;

class SqlTest {
    @Test
    void valuesAreSpelledAsPostgresParsesThem() {
        assertThat(Sql.text(null)).isNull();
        assertThat(Sql.text(new BigDecimal("3.00"))).isEqualTo("3");
        assertThat(Sql.text(new BigDecimal("0.000"))).isEqualTo("0");
        assertThat(Sql.text(new BigDecimal("1E+3"))).as("no exponent").isEqualTo("1000");
        assertThat(Sql.text(0.1 + 0.2)).isEqualTo("0.30000000000000004");
        assertThat(Sql.text(1.0e10)).isEqualTo("10000000000");
        assertThat(Sql.text(Double.NaN)).isEqualTo("NaN");
        assertThat(Sql.text(42L)).isEqualTo("42");
        assertThat(Sql.text(true)).isEqualTo("true");
        assertThat(Sql.text(LocalDate.of(2024, 2, 29))).isEqualTo("2024-02-29");
        assertThat(Sql.text(Instant.parse("2024-01-01T08:30:00.123Z"))).isEqualTo("2024-01-01T08:30:00.123Z");
    }

    @Test
    void identifiersAreQuotedWithTheirQuotesDoubled() {
        assertThat(Sql.quote("Customers")).isEqualTo("\"Customers\"");
        assertThat(Sql.quote("a\"b")).isEqualTo("\"a\"\"b\"");
    }

    @Test
    void postgresTypesMapToFieldTypesByCategory() {
        assertThat(Catalog.fieldType("mood", "e", "E")).isEqualTo(FieldType.ENUMERATION);
        assertThat(Catalog.fieldType("int4", "b", "N")).isEqualTo(FieldType.NUMBER);
        assertThat(Catalog.fieldType("regclass", "b", "N")).as("an object reference is no number")
                .isEqualTo(FieldType.STRING);
        assertThat(Catalog.fieldType("bool", "b", "B")).isEqualTo(FieldType.BOOLEAN);
        assertThat(Catalog.fieldType("date", "b", "D")).isEqualTo(FieldType.DATE);
        assertThat(Catalog.fieldType("timestamptz", "b", "D")).isEqualTo(FieldType.DATETIME);
        assertThat(Catalog.fieldType("time", "b", "D")).isEqualTo(FieldType.STRING);
        assertThat(Catalog.fieldType("uuid", "b", "U")).isEqualTo(FieldType.STRING);
    }
}
