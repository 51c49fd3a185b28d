package dev.hansa.aggregation.update;

import dev.hansa.aggregation.tensor.InvalidInputException;

/** An update was refused: its frame, its values or what it claims. */
public final class InvalidUpdateException extends InvalidInputException {

    public InvalidUpdateException(String reason, String message) {
        super(reason, message);
    }
}
