package dev.canopy.engine;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import dev.canopy.engine.graph.archfixture.FlaggedBuilder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.codeUnits;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noCodeUnits;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Types where the engine had flags (issue 19, decision 0145): a mode travels as an enum
 * ({@code AttentionPath}, {@code AttentionMode}), tensors that go together as a record ({@code Qkv}).
 * Each rule is also shown failing on {@link FlaggedBuilder}, a class written the old way.
 */
class EngineCodeRulesTest {
    private static JavaClasses engine;

    /** No public method or constructor of the engine takes more than one boolean: two flags are a mode. */
    static final ArchRule AT_MOST_ONE_FLAG = codeUnits().that().arePublic()
            .and().areDeclaredInClassesThat().resideInAPackage("dev.canopy.engine..")
            .should(takeAtMostBooleans(1));

    /** The graph builders and the runtime that runs them take no boolean at all, public or not (private helpers aside). */
    static final ArchRule NO_FLAGS_IN_GRAPHS = codeUnits().that().areNotPrivate()
            .and().areDeclaredInClassesThat().resideInAnyPackage("dev.canopy.engine.graph..", "dev.canopy.engine.runtime..")
            .should(takeAtMostBooleans(0));

    /** Graph code hands tensors that go together in records with named, shaped fields, not in arrays. */
    static final ArchRule NO_TENSOR_ARRAYS = noCodeUnits()
            .that().areDeclaredInClassesThat().resideInAnyPackage("dev.canopy.engine.graph..", "dev.canopy.engine.sparse..")
            .should().haveRawReturnType(MemorySegment[].class);

    @BeforeAll
    static void importEngine() {
        engine = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.canopy.engine");
    }

    @Test
    void theRulesSeeTheGraphAndRuntimeCode() {
        assertThat(engine.stream().filter(c -> c.getPackageName().equals("dev.canopy.engine.graph"))).hasSizeGreaterThan(5);
        assertThat(engine.stream().filter(c -> c.getPackageName().equals("dev.canopy.engine.runtime"))).hasSizeGreaterThan(5);
    }

    @Test
    void publicEngineMethodsTakeAtMostOneBoolean() {
        AT_MOST_ONE_FLAG.check(engine);
    }

    @Test
    void graphAndRuntimeCodeTakesNoBoolean() {
        NO_FLAGS_IN_GRAPHS.check(engine);
    }

    @Test
    void graphCodeReturnsNoTensorArrays() {
        NO_TENSOR_ARRAYS.check(engine);
    }

    @Test
    void eachRuleCatchesAClassWrittenTheOldWay() {
        JavaClasses old = new ClassFileImporter().importClasses(FlaggedBuilder.class);
        assertThatThrownBy(() -> AT_MOST_ONE_FLAG.check(old)).isInstanceOf(AssertionError.class)
                .hasMessageContaining("FlaggedBuilder.build");
        assertThatThrownBy(() -> NO_FLAGS_IN_GRAPHS.check(old)).isInstanceOf(AssertionError.class)
                .hasMessageContaining("FlaggedBuilder.run");
        assertThatThrownBy(() -> NO_TENSOR_ARRAYS.check(old)).isInstanceOf(AssertionError.class)
                .hasMessageContaining("FlaggedBuilder.qkv");
    }

    private static ArchCondition<JavaCodeUnit> takeAtMostBooleans(int most) {
        return new ArchCondition<>("take at most " + most + " boolean parameter(s)") {
            @Override
            public void check(JavaCodeUnit unit, ConditionEvents events) {
                long flags = unit.getRawParameterTypes().stream().filter(EngineCodeRulesTest::isBoolean).count();
                if (flags > most) {
                    events.add(SimpleConditionEvent.violated(unit, unit.getFullName() + " takes " + flags
                            + " boolean parameter(s): name the mode with an enum"));
                }
            }
        };
    }

    private static boolean isBoolean(JavaClass type) {
        return type.isEquivalentTo(boolean.class) || type.isEquivalentTo(Boolean.class);
    }
}
