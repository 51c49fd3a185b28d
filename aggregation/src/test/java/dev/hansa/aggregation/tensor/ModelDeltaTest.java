package dev.hansa.aggregation.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ModelDeltaTest {

    private static byte[] file(ModelSpec spec, float[] values) {
        return Safetensors.write(new Tensors(spec, values), Map.of());
    }

    /** docs/protocol.md's test vector: w[i] = i / 8 for 64 values; the target sets w[3] = 0.5 and w[40] = -1. */
    @Test
    void matchesTheTestVector() {
        ModelSpec spec = ModelSpec.of(new TensorSpec("w", new int[] {64}));
        float[] b = new float[64];
        for (int i = 0; i < 64; i++) {
            b[i] = i / 8f;
        }
        float[] t = b.clone();
        t[3] = 0.5f;
        t[40] = -1f;
        byte[] base = file(spec, b);
        byte[] target = file(spec, t);
        byte[] frame = HexFormat.of().parseHex("484e53440100"
                + "f256f058aa42dcaac66c46036ce0120be0437da37802e8f1a2bfd38b7f3acb"
                + "41bd3fb69789ea9175452fb7d32e33ed808f0b2e10c5025ed9dda5b3340ec126"
                + "4801000000000000" + "4800000000000000"
                + "789c63601836e000318a14704b3112a3ff3f0e7100822d01e1");
        assertArrayEquals(target, ModelDelta.apply(base, frame));
        assertArrayEquals(frame, ModelDelta.encode(base, target).orElseThrow(), "this JDK's zlib at level 6");
        assertEquals(72, ModelDelta.planeStart(target), "8 + the 64-byte header");
    }

    @Test
    void reproducesTheTargetExactlyAndSavesBytesOnSmallSteps() {
        Random r = new Random(12);
        ModelSpec spec = ModelSpec.of(new TensorSpec("w", new int[] {300, 200}), new TensorSpec("b", new int[] {7}));
        float[] base = new float[spec.parameterCount()];
        for (int i = 0; i < base.length; i++) {
            base[i] = (float) (r.nextGaussian() * 0.05);
        }
        float[] dense = base.clone();
        float[] sparse = base.clone();
        for (int i = 0; i < base.length; i++) {
            dense[i] += (float) (r.nextGaussian() * 1e-4);
            if (i % 100 == 0) {
                sparse[i] += 0.01f;
            }
        }
        byte[] from = file(spec, base);
        for (float[] next : new float[][] {dense, sparse}) {
            byte[] to = file(spec, next);
            byte[] frame = ModelDelta.encode(from, to).orElseThrow();
            assertArrayEquals(to, ModelDelta.apply(from, frame));
            assertTrue(frame.length < to.length, frame.length + " of " + to.length);
        }
        assertTrue(ModelDelta.encode(from, file(spec, sparse)).orElseThrow().length < from.length / 20,
                "a step that changes 1% of the values costs a few percent of the model");
    }

    @Test
    void sendsNoDeltaBetweenFilesOfDifferentLengthOrWhenItWouldNotSave() {
        ModelSpec small = ModelSpec.of(new TensorSpec("w", new int[] {2}));
        assertTrue(ModelDelta.encode(file(small, new float[2]), file(small, new float[] {1, 2})).isEmpty(),
                "an 80-byte file is smaller than the delta's header");
        ModelSpec big = ModelSpec.of(new TensorSpec("w", new int[] {1000}));
        assertTrue(ModelDelta.encode(file(big, new float[1000]), file(small, new float[2])).isEmpty());
    }

    @Test
    void refusesADeltaForAnotherBaseOrOneThatDoesNotReproduceItsTarget() {
        ModelSpec spec = ModelSpec.of(new TensorSpec("w", new int[] {1000}));
        float[] v = new float[1000];
        Arrays.fill(v, 0.25f);
        byte[] base = file(spec, new float[1000]);
        byte[] frame = ModelDelta.encode(base, file(spec, v)).orElseThrow();
        byte[] other = file(spec, v);
        assertEquals("invalid-delta", assertThrows(InvalidTensorsException.class,
                () -> ModelDelta.apply(other, frame)).reason(), "another base");
        byte[] corrupt = frame.clone();
        corrupt[corrupt.length - 5] ^= 1;
        assertThrows(InvalidTensorsException.class, () -> ModelDelta.apply(base, corrupt));
        byte[] target = frame.clone();
        target[40] ^= 1;
        assertTrue(assertThrows(InvalidTensorsException.class, () -> ModelDelta.apply(base, target)).getMessage()
                .contains("does not reproduce"));
        byte[] longer = Arrays.copyOf(frame, frame.length + 1);
        assertThrows(InvalidTensorsException.class, () -> ModelDelta.apply(base, longer), "trailing bytes");
        byte[] claims = frame.clone();
        claims[69] = 0;
        claims[70] = 0;
        claims[71] = 0;
        claims[76] = 1;
        assertThrows(InvalidTensorsException.class, () -> ModelDelta.apply(base, claims), "2^56 bytes claimed");
        assertThrows(InvalidTensorsException.class, () -> ModelDelta.apply(base, Arrays.copyOf(frame, 30)));
    }
}
