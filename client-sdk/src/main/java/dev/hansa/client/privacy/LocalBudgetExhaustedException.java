package dev.hansa.client.privacy;

/** A client refused to train because the round would take it past its own local DP budget. */
public final class LocalBudgetExhaustedException extends IllegalStateException {

    public LocalBudgetExhaustedException(String message) {
        super(message);
    }
}
