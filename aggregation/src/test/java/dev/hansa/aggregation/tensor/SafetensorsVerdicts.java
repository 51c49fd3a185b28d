package dev.hansa.aggregation.tensor;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import tools.jackson.databind.json.JsonMapper;

/**
 * Prints, for every file under the given directories, what {@link Safetensors#read} makes of it, one JSON object per
 * line: {@code {"file", "accepted", "reason", "message"}} or {@code {"file", "accepted", "tensors": [[name, shape,
 * sha256 of the data]], "metadata"}}. {@code src/test/python/compare_with_reference.py} checks these verdicts against
 * Python's safetensors (docs/testing.md).
 */
public final class SafetensorsVerdicts {

    private SafetensorsVerdicts() {
    }

    /**
     * Arguments: directories of files; after {@code --framed OUT}, directories of inputs of
     * {@link SafetensorsFuzzTest#readIsTotalOnFramedHeaders}, each framed as that target does and written to OUT.
     */
    public static void main(String[] args) throws IOException, NoSuchAlgorithmException {
        var json = JsonMapper.builder().build();
        Path framedOut = null;
        for (int a = 0; a < args.length; a++) {
            if (args[a].equals("--framed")) {
                framedOut = Files.createDirectories(Path.of(args[++a]));
                continue;
            }
            List<Path> files;
            try (Stream<Path> walk = Files.walk(Path.of(args[a]))) {
                files = walk.filter(Files::isRegularFile).sorted().toList();
            }
            for (Path input : files) {
                Path file = input;
                byte[] bytes = Files.readAllBytes(input);
                if (framedOut != null) {
                    bytes = SafetensorsFuzzTest.frame(bytes);
                    file = Files.write(framedOut.resolve(input.getFileName()), bytes);
                }
                Map<String, Object> verdict = new LinkedHashMap<>();
                verdict.put("file", file.toString());
                try {
                    Safetensors.Contents c = Safetensors.read(bytes);
                    verdict.put("accepted", true);
                    verdict.put("tensors", tensors(c.tensors()));
                    verdict.put("metadata", c.metadata());
                } catch (InvalidTensorsException e) {
                    verdict.put("accepted", false);
                    verdict.put("reason", e.reason());
                    verdict.put("message", e.getMessage());
                }
                System.out.println(json.writeValueAsString(verdict));
            }
        }
    }

    private static List<List<Object>> tensors(Tensors weights) throws NoSuchAlgorithmException {
        var out = new java.util.ArrayList<List<Object>>();
        for (TensorSpec t : weights.spec().tensors()) {
            float[] values = weights.tensor(t.name());
            ByteBuffer bytes = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
            for (float v : values) {
                bytes.putInt(Float.floatToRawIntBits(v));
            }
            String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes.array()));
            out.add(List.of(t.name(), t.shape(), sha));
        }
        return out;
    }
}
