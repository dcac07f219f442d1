package dev.ebb.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ConnectorCatalogTest {
    @Test
    void knowsTypesAndTheirOptionsByKind() {
        ConnectorCatalog catalog = TestingConnectors.catalog();

        assertThat(catalog.sourceTypes()).containsExactly("duckdb", "postgres");
        assertThat(catalog.destinationTypes()).containsExactly("hubspot");
        assertThat(catalog.sourceOptions("duckdb")).contains(TestingConnectors.DUCKDB_OPTIONS);
        assertThat(catalog.destinationOptions("hubspot")).contains(TestingConnectors.HUBSPOT_OPTIONS);
        assertThat(catalog.sourceOptions("hubspot")).as("a destination type is not a source type").isEmpty();
        assertThat(catalog.source("duckdb")).isPresent();
        assertThat(catalog.destination("nope")).isEmpty();
    }

    @Test
    void aTypeClaimedTwiceIsRefusedNamingBothConnectors() {
        assertThatThrownBy(() -> ConnectorCatalog.of(List.of(
                        new TestingConnectors.OptionsOnlySource("duckdb", List.of()),
                        new TestingConnectors.OptionsOnlySource("duckdb", List.of())), List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("connector type 'duckdb' is registered twice");
    }

    @Test
    void theServiceLoaderCatalogFindsWhatIsRegistered() {
        // Core's tests register no connector; the catalog is simply what the class path offers.
        ConnectorCatalog catalog = ConnectorCatalog.fromServiceLoader();

        assertThat(catalog.sourceTypes()).doesNotContainNull();
        assertThat(catalog.destinationTypes()).doesNotContainNull();
    }
}
