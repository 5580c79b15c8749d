package dev.canopy.kv.architecture;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaField;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import dev.canopy.kv.GatherBuffer;
import dev.canopy.kv.KvStore;
import dev.canopy.kv.bench.archfixture.BenchReachingIn;
import dev.canopy.kv.persist.Persistence;
import dev.canopy.kv.tier.PageStore;
import dev.canopy.kv.tier.archfixture.TierReachingUp;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.conditions.ArchPredicates.are;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.fields;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The KV store's packages (decision 0150): the public API and the {@link KvStore} facade at the top,
 * internals in {@code tier} (pages and the three tiers), {@code select} (abstract-bound selection,
 * adaptive chunks) and {@code persist} (the manifest, snapshots). State is private; the internal
 * packages depend one way (persist -> tier -> select) and never back on the facade; clients such as
 * the bench use only the top package. Each rule is also shown failing on a deliberate violation (the
 * {@code archfixture} test classes).
 */
class KvPackageRulesTest {
    private static final String[] INTERNAL = {"dev.canopy.kv.tier..", "dev.canopy.kv.select..", "dev.canopy.kv.persist.."};
    private static JavaClasses main;
    private static JavaClasses violations;

    @BeforeAll
    static void importClasses() {
        main = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("dev.canopy.kv");
        violations = new ClassFileImporter().importClasses(TierReachingUp.class, BenchReachingIn.class, Persistence.class,
                PageStore.class, KvStore.class);
    }

    private static final DescribedPredicate<JavaField> CONSTANT = DescribedPredicate.describe("static final",
            f -> f.getModifiers().contains(JavaModifier.STATIC) && f.getModifiers().contains(JavaModifier.FINAL));

    /** Every field is private, except static final constants. */
    static ArchRule privateState() {
        return fields().that().areDeclaredInClassesThat().resideInAPackage("dev.canopy.kv..")
                .and(are(DescribedPredicate.not(CONSTANT))).should().bePrivate();
    }

    /** persist may use tier, tier may use select; nothing the other way. The top package (facade, values) is outside the layers. */
    static ArchRule internalsOneWay() {
        return layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("persist").definedBy("dev.canopy.kv.persist..")
                .layer("tier").definedBy("dev.canopy.kv.tier..")
                .layer("select").definedBy("dev.canopy.kv.select..")
                .whereLayer("persist").mayNotBeAccessedByAnyLayer()
                .whereLayer("tier").mayOnlyBeAccessedByLayers("persist")
                .whereLayer("select").mayOnlyBeAccessedByLayers("tier");
    }

    /** The internals use the top package's values, never the facade that drives them. */
    static ArchRule internalsNeverUseTheFacade() {
        return noClasses().that().resideInAnyPackage(INTERNAL).should().dependOnClassesThat().belongToAnyOf(KvStore.class, GatherBuffer.class);
    }

    /** Clients inside the module (the bench) use the public API only. */
    static ArchRule clientsUseTheTopPackage() {
        return noClasses().that().resideInAPackage("dev.canopy.kv.bench..").should().dependOnClassesThat().resideInAnyPackage(INTERNAL);
    }

    @Test
    void theSplitHasItsPackages() {
        for (String pkg : new String[] {"dev.canopy.kv.tier", "dev.canopy.kv.select", "dev.canopy.kv.persist"}) {
            assertThat(main.stream().anyMatch(c -> c.getPackageName().equals(pkg))).as("classes in %s", pkg).isTrue();
        }
    }

    @Test
    void stateIsPrivate() {
        privateState().check(main);
    }

    @Test
    void internalPackagesDependOneWay() {
        internalsOneWay().check(main);
    }

    @Test
    void internalsNeverReachTheFacade() {
        internalsNeverUseTheFacade().check(main);
    }

    @Test
    void theBenchUsesOnlyThePublicApi() {
        // the bench moved to the tools module (0170), whose ToolsApartTest checks it; this module's
        // own classes outside the sub-packages use them only through the top package's API
        assertThat(main.stream().noneMatch(c -> c.getPackageName().startsWith("dev.canopy.kv.bench")))
                .as("no bench left in kv-offload").isTrue();
    }

    @Test
    void eachRuleFailsOnADeliberateViolation() {
        assertThatThrownBy(() -> privateState().check(violations)).isInstanceOf(AssertionError.class)
                .hasMessageContaining("TierReachingUp.shared");
        assertThatThrownBy(() -> internalsOneWay().check(violations)).isInstanceOf(AssertionError.class)
                .hasMessageContaining("TierReachingUp").hasMessageContaining("Persistence");
        assertThatThrownBy(() -> internalsNeverUseTheFacade().check(violations)).isInstanceOf(AssertionError.class)
                .hasMessageContaining("TierReachingUp").hasMessageContaining("KvStore");
        assertThatThrownBy(() -> clientsUseTheTopPackage().check(violations)).isInstanceOf(AssertionError.class)
                .hasMessageContaining("BenchReachingIn").hasMessageContaining("PageStore");
    }
}
