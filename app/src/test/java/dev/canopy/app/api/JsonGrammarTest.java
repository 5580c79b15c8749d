package dev.canopy.app.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The JSON-schema to GBNF converter (libllama runs the grammars; OpenAiApiTest runs one end to end). */
class JsonGrammarTest {
    static final ObjectMapper JSON = new ObjectMapper();

    static String grammar(String schema) throws Exception {
        return JsonGrammar.forSchema(JSON.readTree(schema), "schema");
    }

    @Test
    void requiredPropertiesComeInOrderAndOptionalOnesMayBeLeftOut() throws Exception {
        String g = grammar("""
                {"type":"object","properties":{"name":{"type":"string"},"age":{"type":"integer"},"tags":{"type":"array",
                 "items":{"type":"string"},"maxItems":3}},"required":["name"]}""");
        assertThat(g).startsWith("root ::= r");
        assertThat(g).contains("\"\\\"name\\\"\" ws \":\" ws string");
        assertThat(g).contains("\"\\\"age\\\"\" ws \":\" ws integer");
        assertThat(g).containsPattern("r\\d+ \\(\",\" ws r\\d+\\)\\? \\(\",\" ws r\\d+\\)\\?");
        assertThat(g).contains("{0,2}");
    }

    @Test
    void withNothingRequiredAnyPropertyMayComeFirst() throws Exception {
        String g = grammar("{\"properties\":{\"a\":{\"type\":\"boolean\"},\"b\":{\"type\":\"null\"}}}");
        assertThat(g).containsPattern("\\(r\\d+ \\(\",\" ws r\\d+\\)\\? \\| r\\d+\\)\\?");
    }

    @Test
    void enumsAndConstsAreLiteralsOfTheirJson() throws Exception {
        String g = grammar("{\"enum\":[\"red\",1,true,null]}");
        assertThat(g).contains("\"\\\"red\\\"\" ws | \"1\" ws | \"true\" ws | \"null\" ws");
        assertThat(grammar("{\"const\":\"a\\\"b\"}")).startsWith("root ::= \"\\\"a\\\\\\\"b\\\"\" ws");
    }

    @Test
    void typeListsAndAnyOfAreAlternatives() throws Exception {
        assertThat(grammar("{\"type\":[\"string\",\"null\"]}")).contains("(string | null)");
        assertThat(grammar("{\"anyOf\":[{\"type\":\"number\"},{\"type\":\"boolean\"}]}")).contains("(number | boolean)");
    }

    @Test
    void unsupportedKeywordsAreRefusedByName() {
        assertThatThrownBy(() -> grammar("{\"type\":\"object\",\"properties\":{\"x\":{\"$ref\":\"#/a\"}}}"))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.param()).contains("schema.properties.x.$ref"));
        assertThatThrownBy(() -> grammar("{\"type\":\"string\",\"pattern\":\"a+\"}")).hasMessageContaining("pattern");
        assertThatThrownBy(() -> grammar("{\"type\":\"decimal\"}")).hasMessageContaining("decimal");
        assertThatThrownBy(() -> grammar("{\"type\":\"object\",\"properties\":{},\"required\":[\"x\"]}"))
                .hasMessageContaining("'x'");
    }

    @Test
    void anyJsonObjectIsTheObjectRule() {
        assertThat(JsonGrammar.anyObject()).startsWith("root ::= object\n").contains("object ::= \"{\" ws");
    }
}
