package dev.hansa.aggregation.update.codec;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.hansa.aggregation.tensor.ModelSpec;
import dev.hansa.aggregation.tensor.TensorSpec;
import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Coverage-guided fuzzing of the quantising and sketching decoders (Jazzer); in the normal build each target runs
 * once per file under {@code CompressedCodecsFuzzTestInputs} (docs/testing.md). The property is
 * {@link DecoderFuzzing}'s, and every decoded value is finite.
 */
class CompressedCodecsFuzzTest {

    private static final ModelSpec MODEL = ModelSpec.of(new TensorSpec("w", new int[] {12, 25}),
            new TensorSpec("b", new int[] {25}));
    private static final UpdateCodec QSGD = new QsgdCodec(3, 64).forParticipant(7);
    private static final UpdateCodec SIGN = new SignCodec();
    private static final UpdateCodec FP16 = new Fp16Codec();
    private static final UpdateCodec SPARSE_LO_CO = new SparseLoCoCodec(8, 16);
    private static final UpdateCodec COUNT_SKETCH = new CountSketchCodec(20, 3, 16).forParticipant(7);
    private static final UpdateCodec E3M0 = new E3m0Codec(64);
    private static final List<UpdateCodec> CODECS = List.of(QSGD, SIGN, FP16, SPARSE_LO_CO, COUNT_SKETCH, E3M0);

    /** Raw bytes as a qsgd upload. */
    @FuzzTest
    void qsgdDecodeIsTotal(byte[] input) {
        check(QSGD, input);
    }

    /** Raw bytes as a sign upload. */
    @FuzzTest
    void signDecodeIsTotal(byte[] input) {
        check(SIGN, input);
    }

    /** Raw bytes as an fp16 upload. */
    @FuzzTest
    void fp16DecodeIsTotal(byte[] input) {
        check(FP16, input);
    }

    /** Raw bytes as a sparseloco upload. */
    @FuzzTest
    void sparseLoCoDecodeIsTotal(byte[] input) {
        check(SPARSE_LO_CO, input);
    }

    /** Raw bytes as a countsketch upload. */
    @FuzzTest
    void countSketchDecodeIsTotal(byte[] input) {
        check(COUNT_SKETCH, input);
    }

    /** Raw bytes as an e3m0 upload. */
    @FuzzTest
    void e3m0DecodeIsTotal(byte[] input) {
        check(E3M0, input);
    }

    /** Payloads in a valid envelope for one of the codecs, so mutations explore the codecs' own fields. */
    @FuzzTest
    void payloadsInAValidFrameAreDecodedOrRefused(FuzzedDataProvider data) {
        UpdateCodec codec = CODECS.get(data.consumeInt(0, CODECS.size() - 1));
        byte[] payload = data.consumeRemainingAsBytes();
        check(codec, UpdateFrame.write(codec.name(), MODEL.parameterCount(), Map.of(), payload.length,
                out -> out.put(payload)));
    }

    /** The committed {@code valid} seeds are valid frames, so the regression run starts inside each decoder. */
    @Test
    void theValidSeedsDecode() throws IOException {
        Map<String, UpdateCodec> byTarget = Map.of("qsgdDecodeIsTotal", QSGD, "signDecodeIsTotal", SIGN,
                "fp16DecodeIsTotal", FP16, "sparseLoCoDecodeIsTotal", SPARSE_LO_CO,
                "countSketchDecodeIsTotal", COUNT_SKETCH, "e3m0DecodeIsTotal", E3M0);
        for (var e : byTarget.entrySet()) {
            try (InputStream in = getClass().getResourceAsStream("CompressedCodecsFuzzTestInputs/" + e.getKey()
                    + "/valid")) {
                float[] values = e.getValue().decode(MemorySegment.ofArray(in.readAllBytes()), MODEL).values().values();
                assertTrue(IntStream.range(0, values.length).anyMatch(i -> values[i] != 0), e.getKey());
            }
        }
    }

    private static void check(UpdateCodec codec, byte[] input) {
        DecoderFuzzing.check(codec, MODEL, input, (values, bytes) -> {
            for (float v : values) {
                assertTrue(Float.isFinite(v), codec.name() + " decoded " + v);
            }
        });
    }
}
