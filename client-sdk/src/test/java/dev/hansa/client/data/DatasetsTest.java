package dev.hansa.client.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetsTest {

    @TempDir
    Path dir;

    private static byte[] idx(int magic, int[] dims, byte[] data) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(magic);
            for (int d : dims) {
                out.writeInt(d);
            }
            out.write(data);
        }
        return bytes.toByteArray();
    }

    private void write(String name, byte[] content, boolean gzip) throws IOException {
        try (OutputStream out = gzip ? new GZIPOutputStream(Files.newOutputStream(dir.resolve(name + ".gz")))
                : Files.newOutputStream(dir.resolve(name))) {
            out.write(content);
        }
    }

    @Test
    void readsGzippedImagesAndLabels() throws IOException {
        write("train-images-idx3-ubyte", idx(0x803, new int[] {2, 2, 2}, new byte[] {0, (byte) 255, 51, 102, 1, 2, 3, 4}), true);
        write("train-labels-idx1-ubyte", idx(0x801, new int[] {2}, new byte[] {7, 9}), true);
        Dataset d = IdxReader.readImagesAndLabels(dir.resolve("train-images-idx3-ubyte.gz"),
                dir.resolve("train-labels-idx1-ubyte.gz"), 10);
        assertEquals(2, d.size());
        assertEquals(4, d.featureCount());
        float[] row = new float[4];
        d.copyFeatures(0, row, 0);
        assertEquals(1f, row[1]);
        assertEquals(0.2f, row[2], 1e-7);
        assertEquals(9, d.label(1));
    }

    @Test
    void rejectsBadMagicAndTruncation() throws IOException {
        write("a", idx(0x0d03, new int[] {1, 1, 1}, new byte[4]), false);
        assertTrue(assertThrows(IOException.class, () -> IdxReader.read(dir.resolve("a"))).getMessage().contains("magic"));
        write("b", idx(0x803, new int[] {2, 2, 2}, new byte[7]), false);
        assertTrue(assertThrows(IOException.class, () -> IdxReader.read(dir.resolve("b"))).getMessage().contains("truncated"));
        write("c", idx(0x801, new int[] {3}, new byte[3]), false);
        write("d", idx(0x803, new int[] {2, 1, 1}, new byte[2]), false);
        assertTrue(assertThrows(IOException.class, () -> IdxReader.readImagesAndLabels(dir.resolve("d"), dir.resolve("c"), 10))
                .getMessage().contains("labels"));
    }

    @Test
    void fashionMnistFromDebianPackageWhenInstalled() {
        var splits = FashionMnist.load();
        org.junit.jupiter.api.Assumptions.assumeTrue(splits.isPresent(), "dataset-fashion-mnist not installed");
        assertEquals(60_000, splits.get().train().size());
        assertEquals(10_000, splits.get().test().size());
        assertEquals(784, splits.get().train().featureCount());
        for (int count : splits.get().test().classCounts()) {
            assertEquals(1000, count);
        }
    }

    @Test
    void syntheticIsSeededAndHeterogeneous() {
        List<SyntheticDataset.UserData> a = SyntheticDataset.generate(1, 1, 30, false, 5);
        List<SyntheticDataset.UserData> b = SyntheticDataset.generate(1, 1, 30, false, 5);
        assertEquals(30, a.size());
        for (int k = 0; k < 30; k++) {
            SyntheticDataset.UserData u = a.get(k);
            int n = u.train().size() + u.test().size();
            assertTrue(n >= 50, "every user holds at least 50 samples");
            assertEquals((int) (0.9 * n), u.train().size());
            assertEquals(u.train().label(0), b.get(k).train().label(0));
        }
        // Each user's labels come from its own model: at Synthetic(1,1) users' majority classes differ.
        long distinctMajorities = a.stream().map(u -> {
            int[] c = u.train().classCounts();
            int best = 0;
            for (int i = 1; i < c.length; i++) {
                if (c[i] > c[best]) {
                    best = i;
                }
            }
            return best;
        }).distinct().count();
        assertTrue(distinctMajorities >= 4, "majority classes: " + distinctMajorities);
        assertEquals(a.stream().mapToInt(u -> u.test().size()).sum(), SyntheticDataset.pooledTest(a).size());
    }
}
