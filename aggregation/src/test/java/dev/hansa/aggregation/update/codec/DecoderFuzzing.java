package dev.hansa.aggregation.update.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.management.ThreadMXBean;
import dev.hansa.aggregation.tensor.InvalidTensorsException;
import dev.hansa.aggregation.tensor.ModelSpec;
import java.lang.foreign.MemorySegment;
import java.lang.management.ClassLoadingMXBean;
import java.lang.management.ManagementFactory;
import java.util.function.BiConsumer;

/**
 * The property every fuzzed decoder must have: for any bytes, {@code decode} returns values for the model (which
 * {@code valid} may check further) or throws {@link InvalidTensorsException} {@code malformed-frame} with a short
 * message; nothing else escapes, and a decode allocates no more than a fixed multiple of the model plus the input
 * (so a frame claiming 2^31 entries cannot make it allocate for them).
 */
final class DecoderFuzzing {

    private static final ThreadMXBean ALLOCATIONS = (ThreadMXBean) ManagementFactory.getThreadMXBean();
    private static final ClassLoadingMXBean CLASSES = ManagementFactory.getClassLoadingMXBean();

    private DecoderFuzzing() {
    }

    /** Decodes {@code input} for {@code model}; {@code valid} receives the decoded values and the input. */
    static void check(UpdateCodec codec, ModelSpec model, byte[] input, BiConsumer<float[], byte[]> valid) {
        long allocatedBefore = ALLOCATIONS.getCurrentThreadAllocatedBytes();
        long classesBefore = CLASSES.getTotalLoadedClassCount();
        try {
            float[] values = codec.decode(MemorySegment.ofArray(input), model).values().values();
            assertEquals(model.parameterCount(), values.length);
            valid.accept(values, input);
        } catch (InvalidTensorsException e) {
            assertEquals("malformed-frame", e.reason());
            assertTrue(e.getMessage() != null && !e.getMessage().isBlank() && e.getMessage().length() < 2000,
                    e.getMessage());
        } finally {
            long allocated = ALLOCATIONS.getCurrentThreadAllocatedBytes() - allocatedBefore;
            assertTrue(allocated <= 64L * input.length + 16L * model.parameterCount() + (1 << 20)
                            || CLASSES.getTotalLoadedClassCount() != classesBefore,
                    () -> allocated + " bytes allocated to decode " + input.length);
        }
    }
}
