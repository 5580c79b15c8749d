package dev.canopy.tools.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import dev.canopy.memory.archfixture.StrayBench;
import dev.canopy.memory.archfixture.UsesTools;
import dev.canopy.memory.archfixture.eval.Recall;
import dev.canopy.tools.memory.eval.RecallAtK;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Decision 0170: benchmarks and evaluations live in the tools module, apart from the product. No
 * product class is a benchmark or evaluation by name or package, none depends on the tools, and no
 * product module's pom depends on canopy-tools. Each rule is also shown failing on a violation
 * (the fixtures under dev.canopy.memory.archfixture, test classes only).
 */
class ToolsApartTest {
    static final String[] PRODUCT = {"dev.canopy.natives..", "dev.canopy.kv..", "dev.canopy.engine..",
            "dev.canopy.memory..", "dev.canopy.app..", "dev.canopy.ui.."};

    static final ArchRule NO_BENCH_OR_EVAL_NAMES = noClasses().that().resideInAnyPackage(PRODUCT)
            .should().haveNameMatching(".*\\.[^.]*(Bench|Eval)[^.]*")
            .as("no product class is named *Bench* or *Eval* (they belong in the tools module)");

    static final ArchRule NO_BENCH_OR_EVAL_PACKAGES = noClasses().that().resideInAnyPackage(PRODUCT)
            .should().resideInAnyPackage("..bench..", "..eval..")
            .as("no product class is in a bench or eval package (they belong in the tools module)");

    static final ArchRule PRODUCT_DOES_NOT_USE_TOOLS = noClasses().that().resideInAnyPackage(PRODUCT)
            .should().dependOnClassesThat().resideInAPackage("dev.canopy.tools..")
            .as("product classes do not depend on the tools module");

    private static JavaClasses classes;

    @BeforeAll
    static void importAll() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.canopy");
    }

    @Test
    void everyProductModuleAndTheToolsAreImported() {
        for (String pkg : new String[] {"dev.canopy.natives", "dev.canopy.kv", "dev.canopy.engine", "dev.canopy.memory",
                "dev.canopy.app", "dev.canopy.ui", "dev.canopy.tools.engine.bench", "dev.canopy.tools.memory.eval"}) {
            assertThat(classes.stream().anyMatch(c -> c.getPackageName().startsWith(pkg))).as("classes of %s imported", pkg).isTrue();
        }
    }

    @Test
    void productClassesAreNeitherBenchmarksNorEvaluations() {
        NO_BENCH_OR_EVAL_NAMES.check(classes);
        NO_BENCH_OR_EVAL_PACKAGES.check(classes);
    }

    @Test
    void productClassesDoNotDependOnTheTools() {
        PRODUCT_DOES_NOT_USE_TOOLS.check(classes);
    }

    @Test
    void theKvBenchUsesOnlyTheKvStoresPublicApi() {
        // decision 0150: tiers, selection and persistence are kv-offload's internals
        noClasses().that().resideInAPackage("dev.canopy.tools..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.canopy.kv.tier..", "dev.canopy.kv.select..",
                        "dev.canopy.kv.persist..")
                .check(classes);
    }

    @Test
    void theRulesCatchABenchAnEvalPackageAndAUseOfTheTools() {
        JavaClasses violations = new ClassFileImporter().importClasses(StrayBench.class, Recall.class, UsesTools.class, RecallAtK.class);
        assertThatThrownBy(() -> NO_BENCH_OR_EVAL_NAMES.check(violations)).isInstanceOf(AssertionError.class)
                .hasMessageContaining("StrayBench").hasMessageNotContaining("archfixture.eval.Recall");
        assertThatThrownBy(() -> NO_BENCH_OR_EVAL_PACKAGES.check(violations)).isInstanceOf(AssertionError.class)
                .hasMessageContaining("archfixture.eval.Recall").hasMessageNotContaining("StrayBench");
        assertThatThrownBy(() -> PRODUCT_DOES_NOT_USE_TOOLS.check(violations)).isInstanceOf(AssertionError.class)
                .hasMessageContaining("UsesTools").hasMessageContaining("RecallAtK");
    }

    /** The reactor's root: tools' tests run in tools/ (surefire's working directory is the module's). */
    static Path root() {
        Path here = Path.of("").toAbsolutePath();
        return Files.exists(here.resolve("tools/pom.xml")) ? here : here.getParent();
    }

    @Test
    void noProductModuleDependsOnTheTools() throws IOException {
        List<String> modules = modules(root().resolve("pom.xml"));
        assertThat(modules).contains("native-bindings", "kv-offload", "engine", "memory", "app", "ui", "installers", "tools");
        assertThat(pomsNamingTheTools(root(), modules)).isEmpty();
    }

    @Test
    void thePomRuleCatchesAProductModuleThatDependsOnTheTools(@TempDir Path tree) throws IOException {
        Files.writeString(tree.resolve("pom.xml"), "<project><modules><module>engine</module><module>tools</module></modules></project>");
        Files.createDirectories(tree.resolve("engine"));
        Files.createDirectories(tree.resolve("tools"));
        Files.writeString(tree.resolve("engine/pom.xml"), "<project><dependencies><dependency><groupId>dev.canopy</groupId>"
                + "<artifactId>canopy-tools</artifactId></dependency></dependencies></project>");
        Files.writeString(tree.resolve("tools/pom.xml"), "<project><artifactId>canopy-tools</artifactId></project>");
        assertThat(pomsNamingTheTools(tree, modules(tree.resolve("pom.xml")))).containsExactly("engine");
    }

    /** The parent pom's modules. */
    static List<String> modules(Path parentPom) throws IOException {
        List<String> modules = new ArrayList<>();
        Matcher m = Pattern.compile("<module>\\s*([^<\\s]+)\\s*</module>").matcher(Files.readString(parentPom));
        while (m.find()) modules.add(m.group(1));
        return modules;
    }

    /** The modules other than tools whose pom names canopy-tools (a dependency, a plugin's, anything). */
    static List<String> pomsNamingTheTools(Path root, List<String> modules) throws IOException {
        List<String> naming = new ArrayList<>();
        for (String module : modules) {
            if (module.equals("tools")) continue;
            String pom = Files.readString(root.resolve(module).resolve("pom.xml")).replaceAll("(?s)<!--.*?-->", "");
            if (pom.contains("<artifactId>canopy-tools</artifactId>")) naming.add(module);
        }
        return naming;
    }
}
