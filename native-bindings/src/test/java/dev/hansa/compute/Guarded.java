package dev.hansa.compute;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A backend array laid out as [guard sentinels | content | guard sentinels] with {@link #view} the middle: kernels
 * get the view (a slice at an offset) and {@link #assertGuardsIntact} proves they wrote nothing outside it.
 */
final class Guarded implements AutoCloseable {

    static final float SENTINEL = 7777.25f;

    final FloatArray whole;
    final FloatArray view;
    private final int guard;
    private final int length;

    private Guarded(FloatArray whole, int guard, int length) {
        this.whole = whole;
        this.view = whole.slice(guard, length);
        this.guard = guard;
        this.length = length;
    }

    static Guarded of(Backend backend, float[] content, int guard) {
        float[] all = new float[guard + content.length + guard];
        java.util.Arrays.fill(all, SENTINEL);
        System.arraycopy(content, 0, all, guard, content.length);
        return new Guarded(backend.upload(all), guard, content.length);
    }

    float[] content() {
        return view.toHost();
    }

    void assertGuardsIntact(String what) {
        float[] all = whole.toHost();
        for (int i = 0; i < all.length; i++) {
            if (i < guard || i >= guard + length) {
                assertEquals(SENTINEL, all[i], what + ": guard cell " + (i - guard) + " was overwritten");
            }
        }
    }

    @Override
    public void close() {
        whole.close();
    }
}
