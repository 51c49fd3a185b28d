package dev.hansa.client;

import static com.tngtech.archunit.core.domain.JavaCall.Predicates.target;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.assignableTo;
import static com.tngtech.archunit.core.domain.properties.HasName.Predicates.nameMatching;
import static com.tngtech.archunit.core.domain.properties.HasOwner.Predicates.With.owner;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.hansa.aggregation.strategy.Strategy;
import org.junit.jupiter.api.Test;

/** The SDK's boundaries: embeddable in any JVM app, so no framework and no package cycles. */
class ArchitectureTest {

    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("dev.hansa.client");

    @Test
    void packagesFormNoCycles() {
        slices().matching("dev.hansa.client.(**)").should().beFreeOfCycles().check(MAIN);
    }

    @Test
    void noFramework() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("org.springframework..", "jakarta..")
                .because("apps embed the SDK with the JDK's HttpClient alone").check(MAIN);
    }

    @Test
    void roundsRunThroughTheSharedProtocolNotACopyOfIt() {
        noClasses().should().callMethodWhere(target(nameMatching("planRound|finishRound"))
                        .and(target(owner(assignableTo(Strategy.class)))))
                .because("the simulation drives rounds through RoundProtocol, as the server does").check(MAIN);
    }
}
