package dev.ebb.connector.support;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link Names}, {@link PostalCodes} and {@link Countries}: the plain-text identifiers audience APIs hash. */
class AudienceTextTest {
    @Test
    void namesKeepTheirLettersOnlyLowercasedInComposedUnicode() {
        assertThat(Names.letters("  Mary-Jane O'Neil ")).contains("maryjaneoneil");
        assertThat(Names.letters("José")).contains("josé");
        // A decomposed é (e + combining accent) is the same name as the composed one.
        assertThat(Names.letters("Jose\u0301")).contains("josé");
        assertThat(Names.letters("New York 10")).contains("newyork");
        assertThat(Names.letters("42 - !")).isEmpty();
    }

    @Test
    void postalCodesAreCompactedAndUsZipPlusFourCutToFive() {
        assertThat(PostalCodes.compact("94025-1234")).contains("94025");
        assertThat(PostalCodes.compact("940251234")).contains("94025");
        assertThat(PostalCodes.compact(" 94025 ")).contains("94025");
        assertThat(PostalCodes.compact("SW1A 1AA")).contains("sw1a1aa");
        assertThat(PostalCodes.compact("75001")).contains("75001");
        assertThat(PostalCodes.compact("n/a")).isEmpty();
        assertThat(PostalCodes.compact("  ")).isEmpty();
    }

    @Test
    void countriesAreAlpha2CodesLowercased() {
        assertThat(Countries.alpha2(" US ")).contains("us");
        assertThat(Countries.alpha2("gb")).contains("gb");
        assertThat(Countries.alpha2("United States")).isEmpty();
        assertThat(Countries.alpha2("XX")).isEmpty();
    }
}
