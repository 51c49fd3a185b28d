package dev.hansa.aggregation.update.codec;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.hansa.aggregation.tensor.ModelSpec;
import dev.hansa.aggregation.tensor.TensorSpec;
import java.util.Map;

/**
 * Coverage-guided fuzzing of the sparse decoders (Jazzer); in the normal build each target runs once per file under
 * {@code SparseCodecsFuzzTestInputs} (docs/testing.md). The property is {@link DecoderFuzzing}'s, and every non-zero
 * value decoded was carried by 4 bytes of the frame.
 */
class SparseCodecsFuzzTest {

    private static final ModelSpec MODEL = ModelSpec.of(new TensorSpec("w", new int[] {300}));
    private static final UpdateCodec TOP_K = new TopKCodec(0.1);
    private static final UpdateCodec RAND_K = new RandKCodec(30).forParticipant(7);

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
        DecoderFuzzing.check(codec, MODEL, input, (values, bytes) -> {
            long nonZero = 0;
            for (float v : values) {
                nonZero += v != 0 ? 1 : 0;
            }
            // Every non-zero value was carried by the frame: 4 bytes each.
            assertTrue(4 * nonZero <= bytes.length, nonZero + " values from " + bytes.length + " bytes");
        });
    }
}
