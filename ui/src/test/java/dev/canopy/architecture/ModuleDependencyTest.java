package dev.canopy.architecture;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.lang.ArchRule;
import dev.canopy.app.chat.ChatService;
import dev.canopy.ui.archfixture.ShortcutView;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.simpleNameEndingWith;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Dependencies between modules go one way: ui -> app -> (engine, memory) -> (kv-offload,
 * native-bindings). Maven already refuses a dependency cycle between jars; these rules also keep
 * packages honest where Maven cannot see (memory must not reach the engine, bindings see nothing).
 */
class ModuleDependencyTest {
    private static JavaClasses classes;

    @BeforeAll
    static void importAll() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.canopy");
    }

    @Test
    void everyModuleIsOnTheClassPath() {
        for (String pkg : new String[] {"dev.canopy.natives", "dev.canopy.kv", "dev.canopy.engine",
                "dev.canopy.memory", "dev.canopy.app", "dev.canopy.ui"}) {
            assertThat(classes.stream().anyMatch(c -> c.getPackageName().startsWith(pkg)))
                    .as("classes of %s imported", pkg).isTrue();
        }
    }

    @Test
    void layersDependOnlyDownwards() {
        layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("ui").definedBy("dev.canopy.ui..")
                .layer("app").definedBy("dev.canopy.app..")
                .layer("engine").definedBy("dev.canopy.engine..")
                .layer("memory").definedBy("dev.canopy.memory..")
                .layer("kv").definedBy("dev.canopy.kv..")
                .layer("natives").definedBy("dev.canopy.natives..")
                .whereLayer("ui").mayNotBeAccessedByAnyLayer()
                .whereLayer("app").mayOnlyBeAccessedByLayers("ui")
                .whereLayer("engine").mayOnlyBeAccessedByLayers("app", "ui")
                .whereLayer("memory").mayOnlyBeAccessedByLayers("app", "ui")
                .whereLayer("kv").mayOnlyBeAccessedByLayers("engine", "app", "ui")
                .whereLayer("natives").mayOnlyBeAccessedByLayers("kv", "engine", "app", "ui")
                .check(classes);
    }

    @Test
    void memoryAndEngineDoNotKnowEachOther() {
        noClasses().that().resideInAPackage("dev.canopy.memory..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.canopy.engine..", "dev.canopy.kv..", "dev.canopy.natives..")
                .check(classes);
        noClasses().that().resideInAPackage("dev.canopy.engine..")
                .should().dependOnClassesThat().resideInAPackage("dev.canopy.memory..")
                .check(classes);
    }

    /**
     * App services: what does work or holds state in the app layer (ChatService, ModelService,
     * SettingsStore, ConversationRepository, ModelDownloader, DesktopServices, SummaryStore…), as
     * opposed to its values (records, enums) that views may show.
     */
    static final DescribedPredicate<JavaClass> APP_SERVICES = resideInAPackage("dev.canopy.app..")
            .and(simpleNameEndingWith("Service").or(simpleNameEndingWith("Services")).or(simpleNameEndingWith("Store"))
                    .or(simpleNameEndingWith("Repository")).or(simpleNameEndingWith("Downloader"))
                    .or(simpleNameEndingWith("Runtime")).or(simpleNameEndingWith("Pipeline"))
                    .or(simpleNameEndingWith("Transfer")).or(simpleNameEndingWith("Library")))
            .as("app services");

    /** MVVM: views (…View, …Pane, and their inner classes) bind to view-models; only view-models call app services. */
    static final ArchRule VIEWS_DO_NOT_CALL_SERVICES = noClasses()
            .that().resideInAPackage("dev.canopy.ui..").and().haveNameMatching(".*(View|Pane)(\\$.*)?")
            .should().dependOnClassesThat(APP_SERVICES);

    @Test
    void viewsDoNotCallApplicationServicesDirectly() {
        assertThat(classes.stream().filter(c -> c.getPackageName().startsWith("dev.canopy.ui")
                && c.getName().matches(".*(View|Pane)(\\$.*)?"))).as("the rule has views to check").hasSizeGreaterThan(5);
        VIEWS_DO_NOT_CALL_SERVICES.check(classes);
    }

    @Test
    void theViewRuleCatchesAViewThatCallsAService() {
        JavaClasses withViolation = new ClassFileImporter().importClasses(ShortcutView.class, ChatService.class);
        assertThatThrownBy(() -> VIEWS_DO_NOT_CALL_SERVICES.check(withViolation))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("ShortcutView").hasMessageContaining("ChatService");
    }
}
