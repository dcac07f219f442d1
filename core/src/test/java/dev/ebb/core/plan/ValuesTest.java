package dev.ebb.core.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ebb.spi.FieldSpec;
import dev.ebb.spi.FieldType;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** {@link Values#convert}: what each field type takes, and the message a value that does not fit gets. */
class ValuesTest {
    private static final FieldSpec TEXT = FieldSpec.of("notes", FieldType.STRING);
    private static final FieldSpec NUMBER = FieldSpec.of("score", FieldType.NUMBER);
    private static final FieldSpec BOOL = FieldSpec.of("active", FieldType.BOOLEAN);
    private static final FieldSpec DATE = FieldSpec.of("renewal", FieldType.DATE);
    private static final FieldSpec DATETIME = FieldSpec.of("seen", FieldType.DATETIME);
    private static final FieldSpec PLAN = new FieldSpec("plan", FieldType.ENUMERATION, false, false,
            List.of("free", "pro", "1"));
    private static final FieldSpec ANY_OPTION = FieldSpec.of("tier", FieldType.ENUMERATION);

    @ParameterizedTest
    @EnumSource(FieldType.class)
    void nullFitsEveryFieldAndStaysNull(FieldType type) throws Exception {
        assertThat(Values.convert(null, FieldSpec.of("f", type))).isNull();
    }

    // ---- STRING: anything fits, as its canonical text -------------------------------------------------------------

    @Test
    void aStringFieldTakesAnyValueAsCanonicalText() throws Exception {
        assertThat(Values.convert("Zoë ", TEXT)).isEqualTo("Zoë ");
        assertThat(Values.convert("", TEXT)).isEqualTo("");
        assertThat(Values.convert(new BigDecimal("1.50"), TEXT)).isEqualTo("1.5");
        assertThat(Values.convert(new BigDecimal("1E+3"), TEXT)).isEqualTo("1000");
        assertThat(Values.convert(new BigDecimal("0.000"), TEXT)).isEqualTo("0");
        assertThat(Values.convert(42L, TEXT)).isEqualTo("42");
        assertThat(Values.convert(2.50d, TEXT)).isEqualTo("2.5");
        assertThat(Values.convert(1e10d, TEXT)).isEqualTo("10000000000");
        assertThat(Values.convert(1.5f, TEXT)).isEqualTo("1.5");
        assertThat(Values.convert(Double.NaN, TEXT)).isEqualTo("NaN");
        assertThat(Values.convert(true, TEXT)).isEqualTo("true");
        assertThat(Values.convert(LocalDate.parse("2024-02-29"), TEXT)).isEqualTo("2024-02-29");
        assertThat(Values.convert(Instant.parse("2024-05-01T12:00:00Z"), TEXT)).isEqualTo("2024-05-01T12:00:00Z");
    }

    // ---- NUMBER ---------------------------------------------------------------------------------------------------

    @Test
    void aNumberFieldTakesNumbersAndNumericTextAsOneCanonicalDecimal() throws Exception {
        assertThat(Values.convert(new BigDecimal("1.00"), NUMBER)).isEqualTo(new BigDecimal("1"));
        assertThat(Values.convert(new BigDecimal("1E+2"), NUMBER)).isEqualTo(new BigDecimal("100"));
        assertThat(Values.convert(new BigDecimal("-0.50"), NUMBER)).isEqualTo(new BigDecimal("-0.5"));
        assertThat(Values.convert(7L, NUMBER)).isEqualTo(new BigDecimal("7"));
        assertThat(Values.convert(7, NUMBER)).isEqualTo(new BigDecimal("7"));
        assertThat(Values.convert(0.1d, NUMBER)).isEqualTo(new BigDecimal("0.1"));
        assertThat(Values.convert(-0.0d, NUMBER)).isEqualTo(BigDecimal.ZERO);
        assertThat(Values.convert(" 12.50 ", NUMBER)).isEqualTo(new BigDecimal("12.5"));
        assertThat(Values.convert("1e3", NUMBER)).isEqualTo(new BigDecimal("1000"));
        // One value, whatever its scale: equals (not just compareTo) so that the fingerprint's text agrees.
        assertThat(List.of(Values.convert(new BigDecimal("1"), NUMBER), Values.convert(new BigDecimal("1.0"), NUMBER),
                Values.convert(1L, NUMBER), Values.convert(1.0d, NUMBER), Values.convert("1.000", NUMBER)))
                .containsOnly(new BigDecimal("1"));
    }

    @Test
    void aNumberFieldRefusesWhatIsNotAFiniteNumber() {
        assertUnfit("n/a", NUMBER, "'n/a' cannot go into field 'score' (NUMBER): expected a number");
        assertUnfit("", NUMBER, "'' cannot go into field 'score' (NUMBER): expected a number");
        assertUnfit(Double.NaN, NUMBER, "NaN cannot go into field 'score' (NUMBER): expected a number");
        assertUnfit(Double.POSITIVE_INFINITY, NUMBER,
                "Infinity cannot go into field 'score' (NUMBER): expected a number");
        assertUnfit(true, NUMBER, "true cannot go into field 'score' (NUMBER): expected a number");
        assertUnfit(LocalDate.parse("2024-01-01"), NUMBER,
                "2024-01-01 cannot go into field 'score' (NUMBER): expected a number");
    }

    // ---- BOOLEAN --------------------------------------------------------------------------------------------------

    @Test
    void aBooleanFieldTakesBooleansAndTheirTextInAnyCase() throws Exception {
        assertThat(Values.convert(true, BOOL)).isEqualTo(true);
        assertThat(Values.convert(false, BOOL)).isEqualTo(false);
        assertThat(Values.convert("TRUE", BOOL)).isEqualTo(true);
        assertThat(Values.convert("False", BOOL)).isEqualTo(false);
    }

    @Test
    void aBooleanFieldRefusesOtherSpellingsAndNumbers() {
        assertUnfit("yes", BOOL, "'yes' cannot go into field 'active' (BOOLEAN): expected true or false");
        assertUnfit(" true", BOOL, "' true' cannot go into field 'active' (BOOLEAN): expected true or false");
        assertUnfit(1L, BOOL, "1 cannot go into field 'active' (BOOLEAN): expected true or false");
        assertUnfit(new BigDecimal("1.0"), BOOL, "1 cannot go into field 'active' (BOOLEAN): expected true or false");
    }

    // ---- DATE -----------------------------------------------------------------------------------------------------

    @Test
    void aDateFieldTakesDatesIsoTextAndInstantsAtMidnightUtc() throws Exception {
        LocalDate leapDay = LocalDate.parse("2024-02-29");
        assertThat(Values.convert(leapDay, DATE)).isEqualTo(leapDay);
        assertThat(Values.convert(" 2024-02-29 ", DATE)).isEqualTo(leapDay);
        assertThat(Values.convert(Instant.parse("2024-02-29T00:00:00Z"), DATE)).isEqualTo(leapDay);
    }

    @Test
    void aDateFieldRefusesATimeOfDayOtherFormatsAndImpossibleDays() {
        assertUnfit(Instant.parse("2024-02-29T10:00:00Z"), DATE,
                "2024-02-29T10:00:00Z cannot go into field 'renewal' (DATE): expected a date (YYYY-MM-DD)");
        assertUnfit(Instant.parse("2024-02-29T00:00:00.001Z"), DATE,
                "2024-02-29T00:00:00.001Z cannot go into field 'renewal' (DATE): expected a date (YYYY-MM-DD)");
        assertUnfit("29/02/2024", DATE,
                "'29/02/2024' cannot go into field 'renewal' (DATE): expected a date (YYYY-MM-DD)");
        assertUnfit("2023-02-29", DATE,
                "'2023-02-29' cannot go into field 'renewal' (DATE): expected a date (YYYY-MM-DD)");
        assertUnfit(20240229L, DATE,
                "20240229 cannot go into field 'renewal' (DATE): expected a date (YYYY-MM-DD)");
    }

    // ---- DATETIME -------------------------------------------------------------------------------------------------

    @Test
    void aDatetimeFieldTakesInstantsIsoTextWithAnOffsetAndDatesAtMidnightUtc() throws Exception {
        Instant noon = Instant.parse("2024-05-01T12:00:00Z");
        assertThat(Values.convert(noon, DATETIME)).isEqualTo(noon);
        assertThat(Values.convert("2024-05-01T12:00:00Z", DATETIME)).isEqualTo(noon);
        assertThat(Values.convert(" 2024-05-01T14:00:00+02:00", DATETIME)).isEqualTo(noon);
        assertThat(Values.convert(LocalDate.parse("2024-05-01"), DATETIME))
                .isEqualTo(Instant.parse("2024-05-01T00:00:00Z"));
    }

    @Test
    void aDatetimeFieldRefusesTextWithoutAZoneAndNumbers() {
        String expected = "expected a timestamp (ISO-8601, e.g. 2024-05-01T12:00:00Z)";
        assertUnfit("2024-05-01 12:00:00", DATETIME,
                "'2024-05-01 12:00:00' cannot go into field 'seen' (DATETIME): " + expected);
        assertUnfit("2024-05-01T12:00:00", DATETIME,
                "'2024-05-01T12:00:00' cannot go into field 'seen' (DATETIME): " + expected);
        assertUnfit("yesterday", DATETIME, "'yesterday' cannot go into field 'seen' (DATETIME): " + expected);
        assertUnfit(1714564800L, DATETIME, "1714564800 cannot go into field 'seen' (DATETIME): " + expected);
    }

    // ---- ENUMERATION ----------------------------------------------------------------------------------------------

    @Test
    void anEnumerationTakesItsOptionsAsTextAndAnythingWhenItDeclaresNone() throws Exception {
        assertThat(Values.convert("pro", PLAN)).isEqualTo("pro");
        assertThat(Values.convert(new BigDecimal("1.0"), PLAN)).isEqualTo("1");
        assertThat(Values.convert(1L, PLAN)).isEqualTo("1");
        assertThat(Values.convert("platinum", ANY_OPTION)).isEqualTo("platinum");
    }

    @Test
    void anEnumerationRefusesOtherValuesAndListsTheAllowedOnes() {
        assertUnfit("gold", PLAN, "'gold' is not an option of field 'plan' (allowed: free, pro, 1)");
        assertUnfit("Pro", PLAN, "'Pro' is not an option of field 'plan' (allowed: free, pro, 1)");
        assertUnfit(2L, PLAN, "2 is not an option of field 'plan' (allowed: free, pro, 1)");
    }

    // ---- messages -------------------------------------------------------------------------------------------------

    @Test
    void aLongValueIsCutInTheMessage() {
        String longText = "x".repeat(100);
        assertUnfit(longText, NUMBER,
                "'" + "x".repeat(37) + "...' cannot go into field 'score' (NUMBER): expected a number");
    }

    @Test
    void textFormsOfKeysAreCanonical() {
        assertThat(Values.text(new BigDecimal("10.0"))).isEqualTo("10");
        assertThat(Values.text(10L)).isEqualTo("10");
        assertThat(Values.text(10.0d)).isEqualTo("10");
        assertThat(Values.text("10.0")).isEqualTo("10.0");
        assertThat(Values.text(Double.NEGATIVE_INFINITY)).isEqualTo("-Infinity");
    }

    private static void assertUnfit(Object value, FieldSpec field, String message) {
        assertThatThrownBy(() -> Values.convert(value, field))
                .isInstanceOf(Values.Unfit.class)
                .hasMessage(message);
    }
}
