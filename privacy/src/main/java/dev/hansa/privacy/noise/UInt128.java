package dev.hansa.privacy.noise;

/**
 * An unsigned 128-bit integer, just the operations the exact discrete Gaussian sampler needs (its acceptance test
 * compares numbers up to about 2^110). Every operation that would overflow throws.
 */
record UInt128(long hi, long lo) implements Comparable<UInt128> {

    static UInt128 of(long value) {
        if (value < 0) {
            throw new ArithmeticException("negative: " + value);
        }
        return new UInt128(0, value);
    }

    /** {@code a * b} for non-negative longs. */
    static UInt128 product(long a, long b) {
        if (a < 0 || b < 0) {
            throw new ArithmeticException("negative factor");
        }
        return new UInt128(Math.unsignedMultiplyHigh(a, b), a * b);
    }

    /** {@code this * factor} for a non-negative long. */
    UInt128 times(long factor) {
        if (factor < 0) {
            throw new ArithmeticException("negative factor");
        }
        long lowHigh = Math.unsignedMultiplyHigh(lo, factor);
        long highLow = hi * factor;
        if (Math.unsignedMultiplyHigh(hi, factor) != 0 || Long.compareUnsigned(highLow + lowHigh, highLow) < 0) {
            throw new ArithmeticException("128-bit overflow");
        }
        return new UInt128(highLow + lowHigh, lo * factor);
    }

    UInt128 minus(UInt128 other) {
        if (compareTo(other) < 0) {
            throw new ArithmeticException("negative difference");
        }
        long low = lo - other.lo;
        long borrow = Long.compareUnsigned(lo, other.lo) < 0 ? 1 : 0;
        return new UInt128(hi - other.hi - borrow, low);
    }

    UInt128 minusOne() {
        return minus(new UInt128(0, 1));
    }

    boolean isZero() {
        return hi == 0 && lo == 0;
    }

    @Override
    public int compareTo(UInt128 other) {
        int high = Long.compareUnsigned(hi, other.hi);
        return high != 0 ? high : Long.compareUnsigned(lo, other.lo);
    }
}
