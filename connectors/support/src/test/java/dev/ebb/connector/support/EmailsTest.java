package dev.ebb.connector.support;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class EmailsTest {
    @Test
    void anAddressIsTrimmedAndLowercased() {
        assertThat(Emails.normalised("  Someone@Example.COM \n")).contains("someone@example.com");
        assertThat(Emails.normalised("first.last+tag@sub.example.co.uk")).contains("first.last+tag@sub.example.co.uk");
    }

    @Test
    void whatCannotBeAnAddressIsRefusedNotHashed() {
        assertThat(Emails.normalised("")).isEmpty();
        assertThat(Emails.normalised("not an email")).isEmpty();
        assertThat(Emails.normalised("someone@localhost")).isEmpty();
        assertThat(Emails.normalised("a@b@example.com")).isEmpty();
        assertThat(Emails.normalised("some one@example.com")).isEmpty();
        assertThat(Emails.normalised("@example.com")).isEmpty();
        assertThat(Emails.normalised("someone@example.")).isEmpty();
    }

    @Test
    void googleDropsTheDotsOfGmailLocalPartsOnly() {
        assertThat(Emails.normalisedForGoogle(" Jane.Doe@Gmail.com")).contains("janedoe@gmail.com");
        assertThat(Emails.normalisedForGoogle("jane.doe@googlemail.com")).contains("janedoe@googlemail.com");
        assertThat(Emails.normalisedForGoogle("jane.doe@example.com")).contains("jane.doe@example.com");
        assertThat(Emails.normalisedForGoogle("jane.doe")).isEmpty();
    }
}
