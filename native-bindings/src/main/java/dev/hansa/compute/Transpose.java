package dev.hansa.compute;

/** Whether a GEMM/GEMV operand is used as stored or transposed (row-major storage). */
public enum Transpose {
    NO,
    YES;

    public boolean transposed() {
        return this == YES;
    }
}
