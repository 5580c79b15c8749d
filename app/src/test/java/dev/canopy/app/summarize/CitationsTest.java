package dev.canopy.app.summarize;

import dev.canopy.app.documents.Locator;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class CitationsTest {
    private final List<Citations.Statement> evidence = List.of(
            new Citations.Statement("The harbor was rebuilt in 1850 by the council.", new SourceSpan(1, 4)),
            new Citations.Statement("The library opened its archive to students.", new SourceSpan(5, 9)),
            new Citations.Statement("The museum closed during the flood.", new SourceSpan(10, 12)));
    private final SourceSpan all = new SourceSpan(1, 12);

    @Test
    void findGivesEachCitationsPlaceInTheTextAndItsSpan() {
        String text = "Miso is 12 [lines 3–8]. Sardines are a treat [p. 4] and [§ 2]; not a citation [x].";
        List<Citations.Found> found = Citations.find(text);

        assertThat(found).extracting(Citations.Found::span)
                .containsExactly(new SourceSpan(3, 8), new SourceSpan(4, 4), new SourceSpan(2, 2));
        assertThat(found).extracting(f -> text.substring(f.start(), f.end())).containsExactly("[lines 3–8]", "[p. 4]", "[§ 2]");
        assertThat(Citations.find("no citations here")).isEmpty();
    }

    @Test
    void everyStatementWithoutACitationGetsTheOneItSharesMostWordsWith() {
        String out = Citations.attribute("The council rebuilt the harbor.\n\n- Students used the library archive.\n- Nothing related here.",
                evidence, all, Locator.PAGE);

        assertThat(out).isEqualTo("The council rebuilt the harbor. [p. 1–4]\n\n- Students used the library archive. [p. 5–9]\n"
                + "- Nothing related here. [p. 1–12]");
    }

    @Test
    void aValidCitationIsKeptAndNormalizedAndAnImpossibleOneReplaced() {
        String out = Citations.attribute("The museum closed [pp. 10-11].\n\nThe flood came [P. 10].\n\nThe harbor was rebuilt [p. 99].",
                evidence, all, Locator.PAGE);

        assertThat(out).isEqualTo("The museum closed. [p. 10–11]\n\nThe flood came. [p. 10]\n\nThe harbor was rebuilt. [p. 1–4]");
    }

    @Test
    void statementsParseBackWithTheirSpans() {
        String text = "# Heading\n\nFirst point [p. 2–3]\n- second [p. 7]\n- third without one";

        List<Citations.Statement> s = Citations.statements(text, new SourceSpan(1, 9));

        assertThat(s).extracting(Citations.Statement::text).containsExactly("First point", "- second", "- third without one");
        assertThat(s).extracting(Citations.Statement::span)
                .containsExactly(new SourceSpan(2, 3), new SourceSpan(7, 7), new SourceSpan(1, 9));
    }

    @Test
    void citationsReadTheUnitOfTheDocument() {
        assertThat(Locator.LINE.cite(3, 3)).isEqualTo("[line 3]");
        assertThat(Locator.LINE.cite(3, 9)).isEqualTo("[lines 3–9]");
        assertThat(Locator.SECTION.cite(2, 4)).isEqualTo("[§ 2–4]");
        assertThat(Locator.PAGE.cite(5, 5)).isEqualTo("[p. 5]");
    }
}
