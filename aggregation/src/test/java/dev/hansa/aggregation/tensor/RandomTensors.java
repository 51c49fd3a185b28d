package dev.hansa.aggregation.tensor;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/** Random models and texts at the edges the safetensors codec must carry: zero sizes, scalars, NaN payloads, escapes. */
final class RandomTensors {

    private static final String NAME_CHARS = "ABCXYZabcxyz0189_.:/-";
    /** Characters JSON must escape or that are easy to mishandle: quote, backslash, controls, separators, non-BMP. */
    private static final int[] AWKWARD = {'"', '\\', '/', 0, 1, '\n', '\t', 0x1f, 0x7f, 0xe9, 0x2028, 0x2029, 0xfeff,
        0xfffd, 0xffff, 0x1f600, 0x10ffff};

    private RandomTensors() {
    }

    static Tensors weights(SplittableRandom random) {
        List<TensorSpec> specs = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int t = 1 + random.nextInt(5); t > 0; t--) {
            String name = name(random);
            if (names.add(name)) {
                int[] shape = new int[random.nextInt(4)];
                for (int i = 0; i < shape.length; i++) {
                    shape[i] = random.nextInt(5);
                }
                specs.add(new TensorSpec(name, shape));
            }
        }
        ModelSpec spec = new ModelSpec(specs);
        float[] values = new float[spec.parameterCount()];
        for (int i = 0; i < values.length; i++) {
            // Raw bits cover NaNs with payloads, signed zeros, subnormals and infinities.
            values[i] = Float.intBitsToFloat(random.nextInt());
        }
        return new Tensors(spec, values);
    }

    private static String name(SplittableRandom random) {
        StringBuilder name = new StringBuilder();
        int length = random.nextInt(20) == 0 ? 256 : 1 + random.nextInt(12);
        for (int i = 0; i < length; i++) {
            name.append(NAME_CHARS.charAt(random.nextInt(NAME_CHARS.length())));
        }
        return name.toString();
    }

    /** A string of Unicode scalar values (never an unpaired surrogate), possibly empty. */
    static String text(SplittableRandom random) {
        StringBuilder text = new StringBuilder();
        for (int i = random.nextInt(12); i > 0; i--) {
            int c = switch (random.nextInt(3)) {
                case 0 -> 0x20 + random.nextInt(0x5f);
                case 1 -> AWKWARD[random.nextInt(AWKWARD.length)];
                default -> random.nextInt(0x110000);
            };
            text.appendCodePoint(Character.getType(c) == Character.SURROGATE ? 0xfffd : c);
        }
        return text.toString();
    }

    /** Equal as raw IEEE bits: NaN payloads and the sign of zero count. */
    static boolean sameBits(float[] a, float[] b) {
        if (a.length != b.length) {
            return false;
        }
        for (int i = 0; i < a.length; i++) {
            if (Float.floatToRawIntBits(a[i]) != Float.floatToRawIntBits(b[i])) {
                return false;
            }
        }
        return true;
    }
}
