package dev.ebb.connector.support;

import dev.ebb.spi.ConnectorOption;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SettingsTest {
    enum Tier { FREE, STARTER, PROFESSIONAL }

    private static final List<ConnectorOption> OPTIONS = List.of(ConnectorOption.secret("token", "the token"),
            ConnectorOption.optional("base_url", "where"), ConnectorOption.optional("tier", "which"));

    private static Settings settings(Map<String, String> values) {
        return new Settings("crm", values, OPTIONS);
    }

    @Test
    void stringsAreTrimmedAndABlankOneIsAbsent() {
        Settings settings = settings(Map.of("token", "  t0k  ", "name", "   "));
        assertThat(settings.required("token")).isEqualTo("t0k");
        assertThat(settings.optional("name")).isEmpty();
        assertThat(settings.string("name", "fallback")).isEqualTo("fallback");
        assertThatThrownBy(() -> settings.required("name")).hasMessage("crm: setting 'name' is required");
    }

    @Test
    void urlsLoseTrailingSlashesAndSuffixesAndMustBeHttp() {
        Settings settings = settings(Map.of("base_url", "https://acme.zendesk.com/api/v2/", "bad", "acme.zendesk.com",
                "with_path", "https://x.com/a"));
        assertThat(settings.url("base_url", null, "https://acme.zendesk.com", "/api/v2"))
                .isEqualTo(URI.create("https://acme.zendesk.com"));
        assertThat(settings.url("missing", "http://127.0.0.1:8089/", "e")).isEqualTo(URI.create("http://127.0.0.1:8089"));
        assertThatThrownBy(() -> settings.url("bad", null, "https://acme.zendesk.com"))
                .hasMessage("crm: bad 'acme.zendesk.com' is not an http(s) URL; use e.g. https://acme.zendesk.com");
        assertThatThrownBy(() -> settings.origin("with_path", null, "https://login.salesforce.com"))
                .hasMessageContaining("with_path 'https://x.com/a' is not an http(s) URL without a path");
    }

    @Test
    void numbersDurationsAndBooleansSayWhatTheyTake() {
        Settings settings = settings(Map.of("timeout_seconds", "30", "zero", "0", "big", "4000", "vip", "Yes",
                "maybe", "perhaps"));
        assertThat(settings.seconds("timeout_seconds", 10, 3_600)).isEqualTo(Duration.ofSeconds(30));
        assertThat(settings.positive("absent", 7, Long.MAX_VALUE)).isEqualTo(7);
        assertThatThrownBy(() -> settings.positive("zero", 1, Long.MAX_VALUE))
                .hasMessage("crm: zero must be a positive whole number, not '0'");
        assertThatThrownBy(() -> settings.positiveInt("big", 1, 3_600))
                .hasMessage("crm: big must be a positive whole number up to 3600, not '4000'");
        assertThat(settings.bool("vip", false)).isTrue();
        assertThat(settings.bool("absent", true)).isTrue();
        assertThatThrownBy(() -> settings.bool("maybe", false)).hasMessage("crm: maybe must be true or false, not 'perhaps'");
    }

    @Test
    void zonesAreRegionIdsOrUtc() {
        Settings settings = settings(Map.of("time_zone", "America/Chicago", "mars", "Mars/Olympus"));
        assertThat(settings.zone("time_zone", "UTC", "a region id")).isEqualTo(ZoneId.of("America/Chicago"));
        assertThat(settings.zone("absent", "utc", "a region id")).isEqualTo(ZoneOffset.UTC);
        assertThatThrownBy(() -> settings.zone("mars", "UTC", "a region id, e.g. America/Chicago"))
                .hasMessage("crm: mars 'Mars/Olympus' is not a time zone; use a region id, e.g. America/Chicago");
    }

    @Test
    void anEnumerationListsItsValuesAndSuggestsTheNearestOne() {
        Settings settings = settings(Map.of("other", "platinum"));
        List<Tier> tiers = List.of(Tier.values());
        assertThat(settings.choice("tier", Tier.FREE, tiers, Choices::lowerCase, "tier")).isEqualTo(Tier.FREE);
        Settings slipped = settings(Map.of("tier", "profesional"));
        assertThatThrownBy(() -> slipped.choice("tier", Tier.FREE, tiers, Choices::lowerCase, "tier"))
                .hasMessage("crm: unknown tier 'profesional'; use one of free, starter, professional "
                        + "(did you mean professional?)");
        assertThatThrownBy(() -> settings.choice("other", Tier.FREE, tiers, Choices::lowerCase, "tier"))
                .hasMessage("crm: unknown tier 'platinum'; use one of free, starter, professional");
        assertThat(settings(Map.of("tier", "STARTER")).choice("tier", Tier.FREE, tiers, Choices::lowerCase, "tier"))
                .isEqualTo(Tier.STARTER);
        assertThat(settings(Map.of()).choice("tier", Tier.FREE, tiers, Choices::lowerCase, "tier")).isEqualTo(Tier.FREE);
    }

    @Test
    void aSecretsValueIsNeverInAMessage() {
        Settings settings = settings(Map.of("token", "s3cr3t-value"));
        assertThatThrownBy(() -> settings.positive("token", 1, 10)).hasMessageNotContaining("s3cr3t")
                .hasMessageContaining("token").hasMessageContaining("a secret, not shown");
        assertThatThrownBy(() -> settings.url("token", null, "https://x")).hasMessageNotContaining("s3cr3t");
        assertThatThrownBy(() -> settings.choice("token", Tier.FREE, List.of(Tier.values()), Choices::lowerCase, "tier"))
                .hasMessageNotContaining("s3cr3t").hasMessageContaining("free, starter, professional");
    }

    @Test
    void aCredentialWithALineBreakInsideIsRefusedNamingTheSettingNotTheValue() {
        Settings settings = settings(Map.of("token", "pat-na1-SECRET\nSECOND-LINE", "other", "ok"));

        assertThatThrownBy(() -> settings.requiredCredential("token"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("crm: setting 'token' cannot be sent as a credential: it holds a line break")
                .hasMessageNotContaining("SECRET").hasMessageNotContaining("SECOND-LINE");
        assertThatThrownBy(() -> settings(Map.of("token", "a\u0000b")).credential("token"))
                .hasMessageContaining("a control or non-Latin-1 character at character 2");
        assertThat(settings(Map.of("token", "  pat-na1-abc\n")).requiredCredential("token")).isEqualTo("pat-na1-abc");
        assertThat(settings.credential("missing")).isEmpty();
    }
}
