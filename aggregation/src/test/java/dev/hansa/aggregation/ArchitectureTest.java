package dev.hansa.aggregation;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The aggregation module's boundaries: plain Java, no package cycles, lower layers independent of higher ones. */
class ArchitectureTest {

    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("dev.hansa.aggregation");

    @Test
    void packagesFormNoCycles() {
        slices().matching("dev.hansa.aggregation.(**)").should().beFreeOfCycles().check(MAIN);
    }

    @Test
    void noFrameworkOnlyPlainJava() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("org.springframework..", "jakarta..")
                .because("the same algorithms run in the server, the SDK and simulations").check(MAIN);
    }

    @Test
    void theFoundationsDependOnNothingAboveThem() {
        noClasses().that().resideInAnyPackage("..aggregation.tensor..", "..aggregation.config..",
                        "..aggregation.random..", "..aggregation.state..")
                .should().dependOnClassesThat().resideInAnyPackage("..aggregation.update..",
                        "..aggregation.aggregate..", "..aggregation.strategy..", "..aggregation.round..",
                        "..aggregation.sampling..", "..aggregation.architecture..")
                .check(MAIN);
        noClasses().that().resideInAnyPackage("..aggregation.update..", "..aggregation.aggregate..")
                .should().dependOnClassesThat().resideInAnyPackage("..aggregation.strategy..", "..aggregation.round..")
                .because("codecs, transforms and aggregators know updates, not algorithms").check(MAIN);
        noClasses().that().resideOutsideOfPackage("..aggregation.round..")
                .should().dependOnClassesThat().resideInAPackage("..aggregation.round..").check(MAIN);
    }

    @Test
    void randomStreamsComeFromSeeds() {
        noClasses().should().dependOnClassesThat().haveFullyQualifiedName("java.util.Random")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("java.util.concurrent.ThreadLocalRandom")
                .because("every draw must be reproducible from a recorded seed (Seeds)").check(MAIN);
    }
}
