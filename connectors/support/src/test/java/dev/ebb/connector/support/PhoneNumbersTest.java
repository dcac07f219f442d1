package dev.ebb.connector.support;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PhoneNumbersTest {
    @Test
    void aNumberWithItsCountryCodeBecomesE164WhateverItsPunctuation() {
        assertThat(PhoneNumbers.e164("+1 (650) 253-0000", null)).contains("+16502530000");
        assertThat(PhoneNumbers.e164("0044 20 7031 3000", null)).contains("+442070313000");
        assertThat(PhoneNumbers.e164("+49 30 901820", "US")).contains("+4930901820");
    }

    @Test
    void aNationalNumberIsReadInTheDefaultRegion() {
        assertThat(PhoneNumbers.e164("(650) 253-0000", "us")).contains("+16502530000");
        assertThat(PhoneNumbers.e164("020 7031 3000", "GB")).contains("+442070313000");
    }

    @Test
    void aNumberThatCannotBeMadeE164IsRefused() {
        assertThat(PhoneNumbers.e164("(650) 253-0000", null)).isEmpty();
        assertThat(PhoneNumbers.e164("12", "US")).isEmpty();
        assertThat(PhoneNumbers.e164("call me", "US")).isEmpty();
        assertThat(PhoneNumbers.e164("+1 000 000 0000", null)).isEmpty();
    }

    @Test
    void regionsAreCheckedAgainstTheLibrary() {
        assertThat(PhoneNumbers.knownRegion("de")).isTrue();
        assertThat(PhoneNumbers.knownRegion("XX")).isFalse();
    }
}
