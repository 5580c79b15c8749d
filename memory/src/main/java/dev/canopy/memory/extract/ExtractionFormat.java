package dev.canopy.memory.extract;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * The extraction prompt and the shape of its answer: a GBNF grammar for the engine's grammar
 * sampler, and the same shape as JSON Schema for engines that take one.
 */
public final class ExtractionFormat {

    /** GBNF (llama.cpp grammar syntax) for one cell's answer. */
    public static final String GBNF = """
            root ::= "{" ws "\\"summary\\"" ws ":" ws string ws "," ws "\\"facts\\"" ws ":" ws facts ws "}"
            facts ::= "[" ws ( fact ( ws "," ws fact ){0,11} )? ws "]"
            fact ::= "{" ws "\\"text\\"" ws ":" ws string ws "," ws "\\"role\\"" ws ":" ws role ws "," ws "\\"participants\\"" ws ":" ws names ws "," ws "\\"entities\\"" ws ":" ws names ws "," ws "\\"topics\\"" ws ":" ws topics ws "," ws "\\"time_start\\"" ws ":" ws date ws "," ws "\\"time_end\\"" ws ":" ws date ws "}"
            role ::= "\\"event\\"" | "\\"state\\"" | "\\"preference\\"" | "\\"constraint\\"" | "\\"plan\\"" | "\\"detail\\"" | "\\"reference\\""
            names ::= "[" ws ( string ( ws "," ws string ){0,7} )? ws "]"
            topics ::= "[" ws ( string ( ws "," ws string ){0,2} )? ws "]"
            date ::= "null" | "\\"" [0-9]{4} "-" [0-9]{2} "-" [0-9]{2} "\\""
            string ::= "\\"" ( [^"\\\\\\x7F\\x00-\\x1F] | "\\\\" ( ["\\\\/bfnrt] | "u" [0-9a-fA-F]{4} ) )* "\\""
            ws ::= [ \\t\\n]{0,8}
            """;

    /** The same shape as JSON Schema. */
    public static final String JSON_SCHEMA = """
            {"type":"object","required":["summary","facts"],"additionalProperties":false,"properties":{
              "summary":{"type":"string"},
              "facts":{"type":"array","maxItems":12,"items":{"type":"object","additionalProperties":false,
                "required":["text","role","participants","entities","topics","time_start","time_end"],
                "properties":{
                  "text":{"type":"string"},
                  "role":{"enum":["event","state","preference","constraint","plan","detail","reference"]},
                  "participants":{"type":"array","items":{"type":"string"},"maxItems":8},
                  "entities":{"type":"array","items":{"type":"string"},"maxItems":8},
                  "topics":{"type":"array","items":{"type":"string"},"maxItems":3},
                  "time_start":{"type":["string","null"],"pattern":"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"},
                  "time_end":{"type":["string","null"],"pattern":"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"}}}}}}
            """;

    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("EEEE d MMMM yyyy, HH:mm", Locale.ENGLISH)
            .withZone(ZoneOffset.UTC);

    private ExtractionFormat() {
    }

    /** The prompt for one cell (temperature 0, answer constrained by {@link #GBNF}). */
    public static String prompt(Cell cell) {
        return """
                You maintain the long-term memory of a personal assistant. Read this excerpt of a conversation \
                and write what is worth remembering for future conversations.

                Date of the excerpt: %s
                Participants: %s

                Excerpt:
                %s

                Answer with JSON only:
                - "summary": one sentence summarizing the excerpt.
                - "facts": memory items, each with
                  "text": one self-contained sentence in the third person, with names instead of pronouns and \
                absolute dates instead of "yesterday" or "next week";
                  "role": one of event, state, preference, constraint, plan, detail, reference;
                  "participants": who took part; "entities": people, pets, places, organizations, works named;
                  "topics": up to 3 short topic labels;
                  "time_start", "time_end": the dates the item is about (YYYY-MM-DD) or null.
                Small talk and greetings give no facts; then "facts" is [].
                """.formatted(DAY.format(cell.start()), String.join(", ", cell.speakers()), cell.text());
    }
}
