package dev.hansa.aggregation.update.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.sun.management.ThreadMXBean;
import dev.hansa.aggregation.tensor.InvalidTensorsException;
import dev.hansa.aggregation.tensor.ModelSpec;
import dev.hansa.aggregation.tensor.TensorSpec;
import java.lang.foreign.MemorySegment;
import java.lang.management.ClassLoadingMXBean;
import java.lang.management.ManagementFactory;
import java.util.Map;

/**
 * Coverage-guided fuzzing of the sparse decoders (Jazzer); in the normal build each target runs once per file under
 * {@code SparseCodecsFuzzTestInputs} (docs/testing.md). The property: for any bytes, {@code decode} returns values
 * for the model or throws {@link InvalidTensorsException} {@code malformed-frame} with a short message; nothing else
 * escapes, and a decode allocates no more than a fixed multiple of the model plus the input (so a frame claiming
 * 2^31 entries cannot make it allocate for them).
 */
class SparseCodecsFuzzTest {

    private static final ModelSpec MODEL = ModelSpec.of(new TensorSpec("w", new int[] {300}));
    private static final UpdateCodec TOP_K = new TopKCodec(0.1);
    private static final UpdateCodec RAND_K = new RandKCodec(30).forParticipant(7);
    private static final ThreadMXBean ALLOCATIONS = (ThreadMXBean) ManagementFactory.getThreadMXBean();
    private static final ClassLoadingMXBean CLASSES = ManagementFactory.getClassLoadingMXBean();

    /** Raw bytes as a top-k upload. */
    @FuzzTest
    void topKDecodeIsTotal(byte[] input) {
        check(TOP_K, input);
    }

    /** Raw bytes as a rand-k upload. */
    @FuzzTest
    void randKDecodeIsTotal(byte[] input) {
        check(RAND_K, input);
    }

    /** Payloads in a valid envelope, so mutations explore the codecs' own fields rather than the frame's. */
    @FuzzTest
    void payloadsInAValidFrameAreDecodedOrRefused(FuzzedDataProvider data) {
        boolean topK = data.consumeBoolean();
        byte[] payload = data.consumeRemainingAsBytes();
        UpdateCodec codec = topK ? TOP_K : RAND_K;
        check(codec, UpdateFrame.write(codec.name(), MODEL.parameterCount(), Map.of(), payload.length,
                out -> out.put(payload)));
    }

    private static void check(UpdateCodec codec, byte[] input) {
        long allocatedBefore = ALLOCATIONS.getCurrentThreadAllocatedBytes();
        long classesBefore = CLASSES.getTotalLoadedClassCount();
        try {
            float[] values = codec.decode(MemorySegment.ofArray(input), MODEL).values().values();
            assertEquals(MODEL.parameterCount(), values.length);
            long nonZero = 0;
            for (float v : values) {
                nonZero += v != 0 ? 1 : 0;
            }
            // Every non-zero value was carried by the frame: 4 bytes each.
            assertTrue(4 * nonZero <= input.length, nonZero + " values from " + input.length + " bytes");
        } catch (InvalidTensorsException e) {
            assertEquals("malformed-frame", e.reason());
            assertTrue(e.getMessage() != null && !e.getMessage().isBlank() && e.getMessage().length() < 2000,
                    e.getMessage());
        } finally {
            long allocated = ALLOCATIONS.getCurrentThreadAllocatedBytes() - allocatedBefore;
            assertTrue(allocated <= 64L * input.length + 16L * MODEL.parameterCount() + (1 << 20)
                            || CLASSES.getTotalLoadedClassCount() != classesBefore,
                    () -> allocated + " bytes allocated to decode " + input.length);
        }
    }
}
