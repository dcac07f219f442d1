package dev.ebb.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The published schema and the loader accept the same keys and values: the loader's tables are the reference. */
class ProjectSchemaTest {
    private final JsonNode schema = parse();

    private static JsonNode parse() {
        try {
            return new ObjectMapper().readTree(ProjectSchema.json());
        } catch (Exception e) {
            throw new AssertionError("the schema is not JSON", e);
        }
    }

    @Test
    void isADraft202012SchemaWhoseRootIsTheProjectFile() {
        assertThat(schema.path("$schema").asText()).isEqualTo("https://json-schema.org/draft/2020-12/schema");
        assertThat(schema.path("$ref").asText()).isEqualTo("#/$defs/project");
    }

    @Test
    void everyMappingAcceptsExactlyTheKeysTheLoaderAccepts() {
        for (Map.Entry<String, List<String>> definition : ConfigKeys.BY_SCHEMA_DEFINITION.entrySet()) {
            JsonNode properties = schema.path("$defs").path(definition.getKey()).path("properties");
            assertThat(properties.isObject()).as("$defs/%s/properties exists", definition.getKey()).isTrue();
            List<String> keys = new ArrayList<>();
            properties.fieldNames().forEachRemaining(keys::add);
            assertThat(keys).as("keys of $defs/%s", definition.getKey())
                    .containsExactlyElementsOf(definition.getValue());
        }
    }

    @Test
    void closedMappingsRefuseOtherKeys() {
        for (String definition : ConfigKeys.BY_SCHEMA_DEFINITION.keySet()) {
            JsonNode additional = schema.path("$defs").path(definition).path("additionalProperties");
            if (definition.equals("connection")) {
                assertThat(additional.isObject()).as("connector settings are open").isTrue();
            } else {
                assertThat(additional.isBoolean() && !additional.asBoolean())
                        .as("$defs/%s has additionalProperties: false", definition).isTrue();
            }
        }
    }

    @Test
    void everyDefinitionTheLoaderDoesNotKnowIsAValueShape() {
        List<String> definitions = new ArrayList<>();
        schema.path("$defs").fieldNames().forEachRemaining(definitions::add);
        definitions.removeAll(ConfigKeys.BY_SCHEMA_DEFINITION.keySet());

        assertThat(definitions).as("definitions that describe values, not mappings")
                .containsExactlyInAnyOrder("name", "settingValue", "key", "schedule");
    }

    @Test
    void enumerationsMatchTheLoader() {
        JsonNode defs = schema.path("$defs");
        assertThat(values(defs.path("sync").path("properties").path("mode"))).isEqualTo(ConfigKeys.MODES);
        assertThat(values(defs.path("sync").path("properties").path("on_removed"))).isEqualTo(ConfigKeys.REMOVALS);
        assertThat(values(defs.path("fieldMapping").path("properties").path("policy"))).isEqualTo(ConfigKeys.POLICIES);
        assertThat(values(defs.path("fieldMapping").path("properties").path("nulls"))).isEqualTo(ConfigKeys.NULLS);
        assertThat(values(defs.path("state").path("properties").path("store"))).isEqualTo(ConfigKeys.STORES);
        assertThat(defs.path("schedule").path("oneOf").get(0).path("const").asText()).isEqualTo(ConfigKeys.MANUAL);
    }

    @Test
    void requiredKeysMatchTheLoader() {
        JsonNode defs = schema.path("$defs");
        assertThat(values(defs.path("project").path("required"))).containsExactly("name");
        assertThat(values(defs.path("connection").path("required"))).containsExactly("type");
        assertThat(values(defs.path("sync").path("required")))
                .containsExactly("model", "destination", "object", "match", "fields");
        assertThat(values(defs.path("match").path("required"))).containsExactly("column", "field");
        assertThat(values(defs.path("fieldMapping").path("required"))).containsExactly("field");
    }

    private static List<String> values(JsonNode node) {
        JsonNode array = node.has("enum") ? node.get("enum") : node;
        List<String> values = new ArrayList<>();
        array.forEach(value -> values.add(value.asText()));
        return values;
    }
}
