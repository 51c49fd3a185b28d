package dev.hansa.server.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.springframework.beans.MutablePropertyValues;
import org.springframework.web.bind.WebDataBinder;

/** What the create form binds, and which form field a parser message is shown beside. */
class FormBindingTest {

    /** A form that, unlike FederationForm today, has fields the server owns: the binder must leave them alone. */
    public static class Tempting {
        private String name;
        private String id;
        private String federationId;
        private String state;
        private String privacyBudget;
        private String epsilonSpent;

        public String getName() { return name; }
        public void setName(String name) { this.name = name; }
        public String getId() { return id; }
        public void setId(String id) { this.id = id; }
        public String getFederationId() { return federationId; }
        public void setFederationId(String federationId) { this.federationId = federationId; }
        public String getState() { return state; }
        public void setState(String state) { this.state = state; }
        public String getPrivacyBudget() { return privacyBudget; }
        public void setPrivacyBudget(String privacyBudget) { this.privacyBudget = privacyBudget; }
        public String getEpsilonSpent() { return epsilonSpent; }
        public void setEpsilonSpent(String epsilonSpent) { this.epsilonSpent = epsilonSpent; }
    }

    @Test
    void theBinderTakesTheFormsFieldsButNoIdStateOrBudget() {
        Tempting target = new Tempting();
        WebDataBinder binder = new WebDataBinder(target, "form");
        new CreateFederationController(null, null).bindOnlyWhatTheFormOwns(binder);
        binder.bind(new MutablePropertyValues(Map.of("name", "n", "id", "x", "federationId", "x", "state", "RUNNING",
                "privacyBudget", "1e9", "epsilonSpent", "0")));
        assertEquals("n", target.getName());
        assertNull(target.getId());
        assertNull(target.getFederationId());
        assertNull(target.getState());
        assertNull(target.getPrivacyBudget());
        assertNull(target.getEpsilonSpent());
        assertEquals(5, binder.getBindingResult().getSuppressedFields().length);
    }

    @Test
    void aParserMessageIsShownBesideTheFieldItNames() {
        assertEquals(Optional.of("minClients"),
                FederationForm.fieldOf("schedule.minClients (5) must not exceed schedule.maxClients (3)"));
        assertEquals(Optional.of("modelParams"), FederationForm.fieldOf("model.params: the mlp has 9 parameters"));
        assertEquals(Optional.of("trainingParams"),
                FederationForm.fieldOf("training.params.momentum must be a number"));
        assertEquals(Optional.of("preAggregators"),
                FederationForm.fieldOf("robustness.preAggregators[0].name is required"));
        assertEquals(Optional.of("name"), FederationForm.fieldOf("name must hold 1..200 characters"));
        assertEquals(Optional.of("f"), FederationForm.fieldOf("robustness.f: must be at most 3"));
        assertTrue(FederationForm.fieldOf("body: a federation config is at most 65536 bytes").isEmpty());
        assertTrue(FederationForm.fieldOf("robustness: krum needs more clients").isEmpty());
    }
}
