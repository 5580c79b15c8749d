package dev.canopy.architecture;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import dev.canopy.memory.MemoryStore;
import dev.canopy.memory.conversation.ConversationId;
import dev.canopy.memory.conversation.ConversationStore;
import dev.canopy.memory.manage.FactEditor;
import dev.canopy.memory.manage.Forgetter;
import dev.canopy.ui.archfixture.ParsesAnId;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.belongToAnyOf;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.codeUnits;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.fields;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Ids are typed (decision 0155): the memory module's {@code ConversationId}, {@code MessageId} and
 * {@code FactId} parse and format their text form in one place ({@code RowId}); nothing in app or ui
 * turns a string back into a number itself, and the store's API takes no bare {@code long}.
 */
class TypedIdsTest {
    private static JavaClasses classes;

    @BeforeAll
    static void importAll() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(location -> !location.contains("-tests.jar")) // app's test jar, which ui's tests use
                .importPackages("dev.canopy");
    }

    /** Reading a number from text in app or ui (ServerHeaders reads HTTP header values, not ids). */
    static ArchRule noIdParsingInAppOrUi() {
        return noClasses().that().resideInAnyPackage("dev.canopy.app..", "dev.canopy.ui..")
                .and().doNotHaveFullyQualifiedName("dev.canopy.app.download.ServerHeaders")
                .should().callMethod(Long.class, "parseLong", String.class)
                .orShould().callMethod(Long.class, "parseLong", String.class, int.class)
                .orShould().callMethod(Long.class, "valueOf", String.class)
                .because("ids travel as ConversationId/MessageId/FactId; their text form is parsed only by RowId");
    }

    @Test
    void appAndUiParseNoIds() {
        noIdParsingInAppOrUi().check(classes);
    }

    @Test
    void theRuleCatchesAnIdParsedByHand() {
        JavaClasses fixture = new ClassFileImporter().importClasses(ParsesAnId.class);
        assertThatThrownBy(() -> noIdParsingInAppOrUi().check(fixture))
                .isInstanceOf(AssertionError.class).hasMessageContaining("parseLong");
    }

    static final ArchCondition<JavaCodeUnit> TAKE_NO_BARE_LONG =
            new ArchCondition<>("take no long or Long parameter (ids are typed)") {
                @Override
                public void check(JavaCodeUnit unit, ConditionEvents events) {
                    for (JavaClass p : unit.getRawParameterTypes()) {
                        if (p.isEquivalentTo(long.class) || p.isEquivalentTo(Long.class)) {
                            events.add(SimpleConditionEvent.violated(unit, unit.getFullName() + " takes a " + p.getName()));
                        }
                    }
                }
            };

    @Test
    void theStoresApiTakesTypedIds() {
        codeUnits().that().arePublic()
                .and().areDeclaredInClassesThat(belongToAnyOf(MemoryStore.class, ConversationStore.class,
                        FactEditor.class, Forgetter.class))
                .should(TAKE_NO_BARE_LONG).check(classes);
    }

    @Test
    void conversationIdsInTheStoresRecordsAreTyped() {
        fields().that().haveName("conversationId")
                .and().areDeclaredInClassesThat().resideInAnyPackage("dev.canopy.memory.conversation..",
                        "dev.canopy.memory.fact..", "dev.canopy.memory.manage..")
                .should().haveRawType(ConversationId.class)
                .check(classes);
    }
}
