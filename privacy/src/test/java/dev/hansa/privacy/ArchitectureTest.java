package dev.hansa.privacy;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The privacy module's boundaries: plain Java, no package cycles. */
class ArchitectureTest {

    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("dev.hansa.privacy");

    @Test
    void packagesFormNoCycles() {
        slices().matching("dev.hansa.privacy.(**)").should().beFreeOfCycles().check(MAIN);
    }

    @Test
    void noFrameworkOnlyPlainJava() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("org.springframework..", "jakarta..")
                .because("the accountant runs in the server, the SDK and simulations alike").check(MAIN);
    }
}
