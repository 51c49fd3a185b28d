package dev.hansa.aggregation.config;

/**
 * A JSON object held a member that nobody reads: a typo ({@code learningrate}) or a field of another version. It is
 * refused rather than ignored, because an ignored setting silently changes what runs (a misspelt budget would mean
 * no budget). {@link #field()} is the member's full path, e.g. {@code strategy.params.mu}, so that an API can name it
 * apart from the message.
 */
public final class UnknownFieldException extends IllegalArgumentException {

    private final String field;

    /**
     * @param field   the full path of the (first) unknown member
     * @param message what is unknown and what is allowed instead
     */
    public UnknownFieldException(String field, String message) {
        super(message);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
