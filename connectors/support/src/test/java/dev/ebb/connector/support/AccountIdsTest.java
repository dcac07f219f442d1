package dev.ebb.connector.support;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class AccountIdsTest {
    @Test
    void theHashIsStableShortAndHidesTheSecret() {
        String hash = AccountIds.shortHash("a-rest-api-key");
        assertThat(hash).hasSize(12).matches("[0-9a-f]+").isEqualTo(AccountIds.shortHash("a-rest-api-key"))
                .doesNotContain("rest");
        assertThat(AccountIds.shortHash("another-key")).isNotEqualTo(hash);
    }
}
