package dev.ebb.connector.support;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ChoicesTest {
    private static final List<String> FLOWS = List.of("jwt", "client_credentials", "refresh_token");

    @Test
    void aValueIsFoundWhateverItsCaseOrDashes() {
        assertThat(Choices.parse(" Client-Credentials ", FLOWS, Function.identity(), "auth_flow"))
                .isEqualTo("client_credentials");
    }

    @Test
    void anUnknownValueListsTheSpellingsAndSuggestsOnlyAPlausibleSlip() {
        assertThatThrownBy(() -> Choices.parse("refresh-tokn", FLOWS, Function.identity(), "auth_flow"))
                .hasMessage("unknown auth_flow 'refresh-tokn'; use one of jwt, client_credentials, refresh_token "
                        + "(did you mean refresh_token?)");
        assertThatThrownBy(() -> Choices.parse("password", FLOWS, Function.identity(), "auth_flow"))
                .hasMessage("unknown auth_flow 'password'; use one of jwt, client_credentials, refresh_token");
        assertThat(Choices.suggestion("jwz", FLOWS)).contains("jwt");
        assertThat(Choices.suggestion("abc", FLOWS)).isEmpty();
    }
}
