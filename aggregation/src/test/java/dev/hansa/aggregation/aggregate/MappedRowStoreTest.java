package dev.hansa.aggregation.aggregate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.hansa.aggregation.aggregate.robust.Aggregators;
import dev.hansa.aggregation.tensor.ModelSpec;
import dev.hansa.aggregation.tensor.TensorSpec;
import dev.hansa.aggregation.tensor.Tensors;
import dev.hansa.aggregation.update.Update;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The file-backed row store reads back exactly what the heap keeps, at awkward sizes and block widths: the same
 * column blocks, the same bits for combinations and geometry, so a server aggregating from its round file matches
 * the simulation bit for bit.
 */
class MappedRowStoreTest {

    @TempDir
    Path dir;

    private static float[] row(Random r, int d) {
        float[] v = new float[d];
        for (int j = 0; j < d; j++) {
            v[j] = (float) (r.nextGaussian() * (1 + j % 5));
        }
        return v;
    }

    /** Dimensions around the block width and the page, block widths from tiny to row-major. */
    static Stream<Arguments> shapes() {
        return Stream.of(Arguments.of(1, 1024), Arguments.of(13, 1024), Arguments.of(1023, 1024),
                Arguments.of(1024, 1024), Arguments.of(1025, 1024), Arguments.of(4098, 1024), Arguments.of(207, 7),
                Arguments.of(207, 207), Arguments.of(207, 1 << 20));
    }

    /** Writes 9 rows into slots of a 12-slot store (in a scrambled order) and the same rows to the heap. */
    private record Pair(UpdateBatch mapped, UpdateBatch heap, MappedRowStore store) {
    }

    private Pair pair(int d, int blockColumns, long seed) throws IOException {
        Random r = new Random(seed);
        MappedRowStore store = new MappedRowStore(dir.resolve("rows-" + d + "-" + blockColumns), 12, d, blockColumns);
        int[] slots = {11, 0, 5, 3, 8, 1, 10, 6, 2};
        double[] weights = new double[slots.length];
        List<float[]> rows = new ArrayList<>();
        for (int i = 0; i < slots.length; i++) {
            rows.add(row(r, d));
            weights[i] = 1 + r.nextInt(9);
        }
        for (int i = slots.length - 1; i >= 0; i--) {
            store.write(slots[i], rows.get(i));
        }
        return new Pair(store.batch(slots, weights), new HeapBatch(rows, weights, d), store);
    }

    @ParameterizedTest(name = "d = {0}, block {1}")
    @MethodSource("shapes")
    void columnBlocksAreThoseOfTheHeapRows(int d, int blockColumns) throws IOException {
        Pair p = pair(d, blockColumns, d);
        Random r = new Random(3);
        List<int[]> ranges = new ArrayList<>(List.of(new int[] {0, d}, new int[] {d - 1, d}, new int[] {0, 1}));
        for (int k = 0; k < 20; k++) {
            int from = r.nextInt(d);
            ranges.add(new int[] {from, from + 1 + r.nextInt(d - from)});
        }
        for (int[] range : ranges) {
            int width = range[1] - range[0];
            float[] expected = new float[p.heap().size() * width];
            float[] actual = new float[expected.length];
            p.heap().readColumns(range[0], range[1], expected);
            p.mapped().readColumns(range[0], range[1], actual);
            assertArrayEquals(expected, actual, "columns " + range[0] + ".." + range[1]);
        }
        p.store().close();
    }

    @ParameterizedTest(name = "d = {0}, block {1}")
    @MethodSource("shapes")
    void combinationsAndGeometryHaveTheHeapsBits(int d, int blockColumns) throws IOException {
        Pair p = pair(d, blockColumns, 100 + d);
        Random r = new Random(4);
        double[] a = new double[p.heap().size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = i % 3 == 1 ? 0 : r.nextGaussian();
        }
        assertArrayEquals(p.heap().combine(a), p.mapped().combine(a));
        assertArrayEquals(p.heap().combine(p.heap().weights()), p.mapped().combine(p.mapped().weights()));
        RowGeometry heap = p.heap().geometry();
        RowGeometry mapped = p.mapped().geometry();
        assertArrayEquals(heap.withCentre(), mapped.withCentre());
        assertEquals(heap.centreNormSquared(), mapped.centreNormSquared());
        for (int i = 0; i < a.length; i++) {
            assertArrayEquals(heap.centred()[i], mapped.centred()[i]);
        }
        p.store().close();
    }

    @Test
    void combineAddsTheRowsInOrderInDouble() throws IOException {
        MappedRowStore store = new MappedRowStore(dir.resolve("tiny"), 3, 2, 1);
        store.write(2, new float[] {1e8f, 1});
        store.write(0, new float[] {1, 0.5f});
        store.write(1, new float[] {-1e8f, 2});
        UpdateBatch batch = store.batch(new int[] {2, 0, 1}, new double[] {1, 1, 1});
        // In row order: (1e8 + 1) - 1e8 = 1 in double, where float would lose the 1.
        assertArrayEquals(new double[] {1, 3.5}, batch.combine(new double[] {1, 1, 1}));
        assertArrayEquals(new double[] {1 - 1e8, 2.5}, batch.combine(new double[] {0, 1, 1}));
        store.close();
    }

    @Test
    void theFileIsColumnBlockMajorLittleEndianFloat32() throws IOException {
        Path file = dir.resolve("layout");
        MappedRowStore store = new MappedRowStore(file, 2, 5, 2);
        store.write(0, new float[] {0, 1, 2, 3, 4});
        store.write(1, new float[] {10, 11, 12, 13, 14});
        store.close();
        ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        float[] values = new float[bytes.remaining() / 4];
        bytes.asFloatBuffer().get(values);
        // blocks {0, 1}, {2, 3}, {4}: each slot's part of a block after the other's
        assertArrayEquals(new float[] {0, 1, 10, 11, 2, 3, 12, 13, 4, 14}, values);
    }

    @Test
    void aRowWrittenAgainReplacesTheFirstAndSlotsAreChecked() throws IOException {
        MappedRowStore store = MappedRowStore.create(dir.resolve("again"), 2, 3);
        store.write(1, new float[] {1, 2, 3});
        store.write(1, new float[] {4, 5, 6});
        float[] out = new float[3];
        store.batch(new int[] {1}, new double[] {1}).readColumns(0, 3, out);
        assertArrayEquals(new float[] {4, 5, 6}, out);
        assertThrows(IndexOutOfBoundsException.class, () -> store.write(2, new float[3]));
        assertThrows(IllegalArgumentException.class, () -> store.write(0, new float[2]));
        assertThrows(IndexOutOfBoundsException.class, () -> store.batch(new int[] {2}, new double[] {1}));
        store.close();
    }

    @Test
    void rowsOfSeveralWritersAtOnceAreAllKept() throws Exception {
        int slots = 16;
        int d = 5000;
        MappedRowStore store = MappedRowStore.create(dir.resolve("concurrent"), slots, d);
        List<float[]> rows = new ArrayList<>();
        Random r = new Random(5);
        for (int i = 0; i < slots; i++) {
            rows.add(row(r, d));
        }
        try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
            List<Future<?>> writes = new ArrayList<>();
            for (int i = 0; i < slots; i++) {
                int slot = i;
                writes.add(pool.submit(() -> {
                    store.write(slot, rows.get(slot));
                    return null;
                }));
            }
            for (Future<?> w : writes) {
                w.get();
            }
        }
        int[] all = new int[slots];
        for (int i = 0; i < slots; i++) {
            all[i] = i;
        }
        float[] expected = new float[slots * d];
        float[] actual = new float[slots * d];
        new HeapBatch(rows, new double[slots], d).readColumns(0, d, expected);
        store.batch(all, new double[slots]).readColumns(0, d, actual);
        assertArrayEquals(expected, actual);
        store.close();
    }

    @Test
    void aFullDiskFailsTheWriteWithAnIoException() throws IOException {
        Path full = Path.of("/dev/full");
        assumeTrue(Files.isWritable(full), "needs /dev/full");
        Path link = Files.createSymbolicLink(dir.resolve("on-a-full-disk"), full);
        MappedRowStore store = MappedRowStore.create(link, 2, 3000);
        IOException e = assertThrows(IOException.class, () -> store.write(0, new float[3000]));
        assertEquals("No space left on device", e.getMessage());
        store.close();
        Files.delete(link);
    }

    @Test
    void aClosedStoresBatchesNoLongerRead() throws IOException {
        MappedRowStore store = MappedRowStore.create(dir.resolve("closed"), 1, 4);
        store.write(0, new float[] {1, 2, 3, 4});
        UpdateBatch batch = store.batch(new int[] {0}, new double[] {1});
        store.close();
        assertThrows(IllegalStateException.class, () -> batch.readColumns(0, 4, new float[4]));
    }

    /** A whole-round pipeline aggregates the same from a file as from the heap, in any arrival order. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("pipelines")
    void aRoundAggregatesTheSameBitsFromTheFileAsFromTheHeap(String label, Map<String, Object> robustness)
            throws IOException {
        ModelSpec spec = ModelSpec.of(new TensorSpec("w", new int[] {3, 700}), new TensorSpec("b", new int[] {7}));
        AggregationPipeline pipeline = new AggregationPipeline(Aggregators.robustness(robustness),
                UpdateWeighting.SAMPLES);
        Random r = new Random(6);
        List<AggregationPipeline.Admitted> admitted = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            Update u = new Update("c" + i, i % 3 == 0 ? "anchor" : "miner", new Tensors(spec,
                    row(r, spec.parameterCount())), 1 + r.nextInt(50), Map.of("train_loss", r.nextDouble()));
            admitted.add(pipeline.admit(u, Long.MAX_VALUE));
        }
        RoundAggregation onHeap = pipeline.start(spec, 99);
        admitted.forEach(onHeap::add);
        RoundAggregate expected = onHeap.result();

        int d = spec.parameterCount();
        try (MappedRowStore store = MappedRowStore.create(dir.resolve("round"), admitted.size(), d)) {
            for (int i = admitted.size() - 1; i >= 0; i--) { // rows arrive in another order than the round lists them
                store.write(i, admitted.get(i).update().values().values());
            }
            RoundAggregation fromFile = pipeline.start(spec, 99, store);
            for (int i = 0; i < admitted.size(); i++) {
                fromFile.add(RoundAggregation.Kept.of(admitted.get(i), i));
            }
            RoundAggregate actual = fromFile.result();
            assertEquals(expected.byRole().keySet(), actual.byRole().keySet());
            expected.byRole().forEach((role, g) -> {
                GroupAggregate a = actual.role(role).orElseThrow();
                assertArrayEquals(g.sum(), a.sum(), label + " " + role);
                assertEquals(g.totalWeight(), a.totalWeight());
                assertEquals(g.count(), a.count());
                assertEquals(g.totalSamples(), a.totalSamples());
                assertEquals(g.metricMeans(), a.metricMeans());
            });
        }
    }

    static Stream<Arguments> pipelines() {
        Map<String, Object> bucketing = Map.of("name", "bucketing", "bucketSize", 2);
        return Stream.of(Arguments.of("median", Map.of("aggregator", "median")),
                Arguments.of("bucketing, median", Map.of("aggregator", "median", "preAggregators", List.of(bucketing))),
                Arguments.of("bucketing, mean", Map.of("aggregator", "mean", "preAggregators", List.of(bucketing))));
    }

    @Test
    void aStreamingPipelineKeepsNoRows() {
        AggregationPipeline pipeline = new AggregationPipeline(AggregationPipeline.Settings.DEFAULT,
                UpdateWeighting.SAMPLES);
        ModelSpec spec = ModelSpec.of(new TensorSpec("w", new int[] {2}));
        RoundAggregation a = pipeline.start(spec, 0);
        assertThrows(IllegalStateException.class,
                () -> a.add(new RoundAggregation.Kept("train", 0, 1, 1, Map.of())));
    }

    @Test
    void theHeapStoreRefusesASlotItNeverHeld() {
        HeapRowStore store = new HeapRowStore(2);
        store.write(1, new float[] {1, 2});
        assertThrows(IllegalArgumentException.class, () -> store.batch(new int[] {0}, new double[] {1}));
        assertThrows(IllegalArgumentException.class, () -> store.batch(new int[] {2}, new double[] {1}));
        assertArrayEquals(new double[] {2, 4}, store.batch(new int[] {1}, new double[] {1}).combine(new double[] {2}));
    }
}
