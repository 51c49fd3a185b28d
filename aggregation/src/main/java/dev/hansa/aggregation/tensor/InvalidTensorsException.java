package dev.hansa.aggregation.tensor;

/** Tensor bytes were refused: {@code malformed-safetensors}, {@code shape-mismatch}, {@code unsupported-dtype}, ... */
public final class InvalidTensorsException extends InvalidInputException {

    public InvalidTensorsException(String reason, String message) {
        super(reason, message);
    }
}
