package dev.hansa.server;

import static com.tngtech.archunit.core.domain.JavaCall.Predicates.target;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.assignableTo;
import static com.tngtech.archunit.core.domain.properties.HasName.Predicates.nameMatching;
import static com.tngtech.archunit.core.domain.properties.HasOwner.Predicates.With.owner;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import dev.hansa.aggregation.strategy.Strategy;
import dev.hansa.server.round.RoundOrchestrator;
import org.junit.jupiter.api.Test;
import org.springframework.web.bind.annotation.RestController;

/**
 * The server's boundaries: features (packages) depend one way, cross with events, and show only what other
 * features use; rounds run through the shared {@code RoundProtocol}.
 */
class ArchitectureTest {

    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("dev.hansa.server");

    @Test
    void featuresFormNoCycles() {
        slices().matching("dev.hansa.server.(*)..").should().beFreeOfCycles().check(MAIN);
    }

    @Test
    void controllersArePackagePrivate() {
        classes().that().areAnnotatedWith(RestController.class).should().notBePublic().check(MAIN);
    }

    @Test
    void aPublicClassIsUsedOutsideItsPackage() {
        // The launcher is the jar's entry point; the orchestrator's tick is the server's step function, which its
        // scheduler and the tests drive.
        classes().that().arePublic().and().areTopLevelClasses()
                .and().doNotHaveFullyQualifiedName(HansaLauncher.class.getName())
                .and().doNotHaveFullyQualifiedName(RoundOrchestrator.class.getName())
                .should(beUsedFromAnotherPackage()).check(MAIN);
    }

    @Test
    void roundsRunThroughTheSharedProtocol() {
        noClasses().should().callMethodWhere(target(nameMatching("planRound|finishRound"))
                        .and(target(owner(assignableTo(Strategy.class)))))
                .because("the orchestrator drives rounds through RoundProtocol, as the simulation does").check(MAIN);
    }

    private static ArchCondition<JavaClass> beUsedFromAnotherPackage() {
        return new ArchCondition<>("be used from another package (else it should be package-private)") {
            @Override
            public void check(JavaClass item, ConditionEvents events) {
                boolean used = item.getDirectDependenciesToSelf().stream()
                        .anyMatch(d -> !d.getOriginClass().getPackageName().equals(item.getPackageName()));
                if (!used && !item.getModifiers().contains(JavaModifier.ABSTRACT)) {
                    events.add(SimpleConditionEvent.violated(item, item.getName()
                            + " is public but no other package uses it"));
                }
            }
        };
    }
}
