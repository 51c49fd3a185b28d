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
        private String roundState;
        private String createdAt;
        private String ownerName;
        private String dpEpsilon;
        private String privacyBudget;

        public String getName() { return name; }
        public void setName(String name) { this.name = name; }
        public String getId() { return id; }
        public void setId(String id) { this.id = id; }
        public String getFederationId() { return federationId; }
        public void setFederationId(String federationId) { this.federationId = federationId; }
        public String getState() { return state; }
        public void setState(String state) { this.state = state; }
        public String getRoundState() { return roundState; }
        public void setRoundState(String roundState) { this.roundState = roundState; }
        public String getCreatedAt() { return createdAt; }
        public void setCreatedAt(String createdAt) { this.createdAt = createdAt; }
        public String getOwnerName() { return ownerName; }
        public void setOwnerName(String ownerName) { this.ownerName = ownerName; }
        public String getDpEpsilon() { return dpEpsilon; }
        public void setDpEpsilon(String dpEpsilon) { this.dpEpsilon = dpEpsilon; }
        public String getPrivacyBudget() { return privacyBudget; }
        public void setPrivacyBudget(String privacyBudget) { this.privacyBudget = privacyBudget; }
    }

    @Test
    void theBinderTakesTheFormsFieldsAndTheBudgetButNoIdStateCreationOrOwner() {
        Tempting target = new Tempting();
        WebDataBinder binder = new WebDataBinder(target, "form");
        new FederationFormController(null, null).bindOnlyWhatTheFormOwns(binder);
        binder.bind(new MutablePropertyValues(Map.of("name", "n", "id", "x", "federationId", "x", "state", "RUNNING",
                "roundState", "OPEN", "createdAt", "2020-01-01", "ownerName", "mallory", "dpEpsilon", "8",
                "privacyBudget", "9")));
        assertEquals("n", target.getName());
        assertEquals("8", target.getDpEpsilon(), "the creator sets the budget");
        assertEquals("9", target.getPrivacyBudget());
        assertNull(target.getId());
        assertNull(target.getFederationId());
        assertNull(target.getState());
        assertNull(target.getRoundState());
        assertNull(target.getCreatedAt());
        assertNull(target.getOwnerName());
        assertEquals(6, binder.getBindingResult().getSuppressedFields().length);
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
