package dev.canopy.architecture;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import dev.canopy.app.api.ModelAccess;
import dev.canopy.kv.KvKey;
import dev.canopy.memory.MemoryStore;
import dev.canopy.memory.conversation.ConversationId;
import dev.canopy.memory.conversation.ConversationStore;
import dev.canopy.memory.manage.FactEditor;
import dev.canopy.memory.manage.Forgetter;
import dev.canopy.ui.archfixture.ParsesAnId;
import dev.canopy.ui.archfixture.StringKeyedService;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.belongToAnyOf;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.equivalentTo;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.codeUnits;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.fields;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Ids are typed (decision 0175): the memory module's {@code ConversationId}, {@code MessageId} and
 * {@code FactId} parse and format their text form in one place ({@code RowId}); nothing in app or ui
 * turns a string back into a number itself, and the store's API takes no bare {@code long}. A saved
 * KV is named by kv-offload's {@link KvKey} from app down to the store: app services and the KV API
 * take and give no bare {@code String} or {@code long} where they name a conversation, a session or
 * a KV, and no field that holds such a key is a bare one.
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

    /** Takes or gives a String, long or Long: a key or id without its type. */
    static final ArchCondition<JavaCodeUnit> TAKE_AND_GIVE_NO_RAW_KEY =
            new ArchCondition<>("take and give no String, long or Long (keys and ids are typed)") {
                @Override
                public void check(JavaCodeUnit unit, ConditionEvents events) {
                    for (JavaClass p : unit.getRawParameterTypes()) {
                        if (isRaw(p)) events.add(SimpleConditionEvent.violated(unit, unit.getFullName() + " takes a " + p.getName()));
                    }
                    if (isRaw(unit.getRawReturnType())) {
                        events.add(SimpleConditionEvent.violated(unit, unit.getFullName() + " gives a " + unit.getRawReturnType().getName()));
                    }
                }
            };

    private static boolean isRaw(JavaClass type) {
        return type.isEquivalentTo(String.class) || type.isEquivalentTo(long.class) || type.isEquivalentTo(Long.class);
    }

    /** App services (see {@link ModuleDependencyTest#APP_SERVICES}) and ModelAccess, the API server's way to the model. */
    static final DescribedPredicate<JavaClass> APP_SERVICES = ModuleDependencyTest.APP_SERVICES
            .or(belongToAnyOf(ModelAccess.class)).as("app services");

    /** kv-offload's public API (its top package, less KvKey, which makes a key from text) and the engine's KV configuration. */
    static final DescribedPredicate<JavaClass> KV_API = resideInAnyPackage("dev.canopy.kv", "dev.canopy.engine.kv")
            .and(DescribedPredicate.not(equivalentTo(KvKey.class))).as("the KV API");

    /**
     * In {@code services}, the non-private methods whose name says they handle a conversation, a
     * session or a KV ({@code lease}, {@code openOwnSession}, {@code forgetSavedKv}…) take ConversationId
     * or KvKey, never its text or number.
     */
    static ArchRule servicesNameConversationsAndKvsByType(DescribedPredicate<JavaClass> services) {
        return codeUnits().that().areDeclaredInClassesThat(services).and().areNotPrivate()
                .and().haveNameMatching("(?i).*(conversation|session|kv|lease).*")
                .should(TAKE_AND_GIVE_NO_RAW_KEY);
    }

    /** In {@code api}, the public methods whose name says they handle a key or a conversation take and give a KvKey. */
    static ArchRule kvApiTakesKvKeys(DescribedPredicate<JavaClass> api) {
        return codeUnits().that().areDeclaredInClassesThat(api).and().arePublic()
                .and().haveNameMatching("(?i).*(key|conversation).*")
                .should(TAKE_AND_GIVE_NO_RAW_KEY);
    }

    /** Where a field that holds a conversation's id or a KV's key (a record component too) is checked, and its names. */
    static final DescribedPredicate<JavaClass> APP_ENGINE_AND_KV = resideInAnyPackage("dev.canopy.app..", "dev.canopy.engine..",
            "dev.canopy.kv..").as("app, engine and kv-offload");
    static final String KEY_FIELDS = "conversationId|kvKey|kv";
    static final String KV_API_KEY_FIELDS = "conversationId|kvKey|kv|key";

    /** In {@code owners}, a field named one of {@code names} is no bare String, long or Long. */
    static ArchRule keyFieldsAreTyped(DescribedPredicate<JavaClass> owners, String names) {
        return fields().that().haveNameMatching(names).and().areDeclaredInClassesThat(owners)
                .should().notHaveRawType(String.class).andShould().notHaveRawType(long.class)
                .andShould().notHaveRawType(Long.class);
    }

    @Test
    void appServicesNameConversationsSessionsAndKvsByType() {
        servicesNameConversationsAndKvsByType(APP_SERVICES).check(classes);
    }

    @Test
    void theKvApiNamesASavedKvByKvKey() {
        kvApiTakesKvKeys(KV_API).check(classes);
    }

    @Test
    void fieldsThatHoldAConversationIdOrAKvKeyAreTyped() {
        keyFieldsAreTyped(APP_ENGINE_AND_KV, KEY_FIELDS).check(classes);
    }

    @Test
    void theKvApiKeepsItsKeysAsKvKeys() {
        keyFieldsAreTyped(KV_API, KV_API_KEY_FIELDS).check(classes);
    }

    @Test
    void theKeyRulesCatchAStringKey() {
        JavaClasses fixture = new ClassFileImporter().importClasses(StringKeyedService.class);
        DescribedPredicate<JavaClass> it = belongToAnyOf(StringKeyedService.class);
        assertThatThrownBy(() -> servicesNameConversationsAndKvsByType(it).check(fixture))
                .isInstanceOf(AssertionError.class).hasMessageContaining("openSession").hasMessageContaining("takes a java.lang.String");
        assertThatThrownBy(() -> kvApiTakesKvKeys(it).check(fixture))
                .isInstanceOf(AssertionError.class).hasMessageContaining("withKey").hasMessageContaining("gives a long");
        assertThatThrownBy(() -> keyFieldsAreTyped(it, KV_API_KEY_FIELDS).check(fixture))
                .isInstanceOf(AssertionError.class).hasMessageContaining("StringKeyedService.kvKey");
    }
}
