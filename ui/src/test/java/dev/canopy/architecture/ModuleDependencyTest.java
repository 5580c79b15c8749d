package dev.canopy.architecture;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.lang.ArchRule;
import dev.canopy.app.chat.ChatService;
import dev.canopy.ui.archfixture.ShortcutView;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.GeneralCodingRules;
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
    void appAndUiUseTheEngineOnlyThroughItsApi() {
        // Decision 0003: callers see InferenceModel and its capabilities (TieredKv), never an implementation.
        noClasses().that().resideInAnyPackage("dev.canopy.app..", "dev.canopy.ui..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.canopy.engine.canopy..", "dev.canopy.engine.llama..")
                .check(classes);
    }

    @Test
    void theKvStoreIsUsedThroughItsTopPackageOnly() {
        // decision 0150: tiers, selection and persistence are kv-offload's internals
        noClasses().that().resideOutsideOfPackage("dev.canopy.kv..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.canopy.kv.tier..", "dev.canopy.kv.select..",
                        "dev.canopy.kv.persist..")
                .check(classes);
    }

    @Test
    void oneLoggingApi() {
        // System.Logger writes every log line. java.util.logging is only the backend that quiets
        // other loggers: PDFBox's (PdfLoader), Jetty's and Javalin's (ApiServer); bench-memory's is in the tools module.
        noClasses().that().doNotHaveFullyQualifiedName("dev.canopy.app.documents.PdfLoader")
                .and().doNotHaveFullyQualifiedName("dev.canopy.app.api.ApiServer")
                .should().dependOnClassesThat().resideInAPackage("java.util.logging..")
                .orShould().dependOnClassesThat().resideInAPackage("org.slf4j..")
                .check(classes);
    }

    @Test
    void onlyCommandLinesWriteToTheTerminal() {
        // Commands (cli), the launcher's one-line "no display" message, llama.cpp's log when
        // CANOPY_LLAMA_LOG asks for it, and the generated bindings' trace; everything else logs or
        // returns text. (The benchmarks and evaluations, with their own mains, are in the tools module.)
        noClasses().that().resideOutsideOfPackages("..cli..", "dev.canopy.natives.ffi..")
                .and().doNotHaveFullyQualifiedName("dev.canopy.ui.CanopyLauncher")
                .and().doNotHaveFullyQualifiedName("dev.canopy.natives.NativeLog")
                .should(GeneralCodingRules.ACCESS_STANDARD_STREAMS)
                .check(classes);
    }

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
