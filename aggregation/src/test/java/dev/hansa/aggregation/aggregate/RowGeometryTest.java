package dev.hansa.aggregation.aggregate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RowGeometryTest {

    /** Rows far from the origin and close to each other, where raw Gram products would cancel in float. */
    private static List<float[]> rows(int n, int d, long seed) {
        Random r = new Random(seed);
        float[] common = new float[d];
        for (int j = 0; j < d; j++) {
            common[j] = (float) (100 + r.nextGaussian());
        }
        List<float[]> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            float[] row = new float[d];
            for (int j = 0; j < d; j++) {
                row[j] = common[j] + (float) (0.01 * r.nextGaussian());
            }
            rows.add(row);
        }
        return rows;
    }

    private static double[] combination(List<float[]> rows, double[] a) {
        double[] out = new double[rows.getFirst().length];
        for (int i = 0; i < rows.size(); i++) {
            for (int j = 0; j < out.length; j++) {
                out[j] += a[i] * rows.get(i)[j];
            }
        }
        return out;
    }

    private static double squaredDistance(double[] x, double[] y) {
        double s = 0;
        for (int j = 0; j < x.length; j++) {
            s += (x[j] - y[j]) * (x[j] - y[j]);
        }
        return s;
    }

    private static double[] unit(int n, int i) {
        double[] e = new double[n];
        e[i] = 1;
        return e;
    }

    private static double[] random(int n, Random r) {
        double[] a = new double[n];
        for (int i = 0; i < n; i++) {
            a[i] = r.nextGaussian();
        }
        return a;
    }

    @Test
    void theDoubleGeometryOfAnyCentreGivesTheRowsInnerProductsAndTheirMixes() {
        int n = 5;
        int d = 301;
        Random r = new Random(9);
        List<float[]> floats = rows(n, d, 4);
        List<double[]> rows = new ArrayList<>();
        for (float[] f : floats) {
            double[] row = new double[d];
            for (int j = 0; j < d; j++) {
                row[j] = f[j] + 1e-3 * r.nextGaussian();
            }
            rows.add(row);
        }
        double[] centre = new double[d];
        for (int j = 0; j < d; j++) {
            centre[j] = 50 * r.nextGaussian();
        }
        RowGeometry g = RowGeometry.inDouble(rows, centre);
        double[][] w = {random(n, r), random(n, r), unit(n, 2)};
        RowGeometry mixed = g.mixed(w);
        for (int i = 0; i < w.length; i++) {
            double[] yi = new double[d];
            for (int k = 0; k < n; k++) {
                for (int j = 0; j < d; j++) {
                    yi[j] += w[i][k] * rows.get(k)[j];
                }
            }
            double norm = squaredDistance(yi, new double[d]);
            assertEquals(norm, mixed.squaredNorms()[i], 1e-9 * norm);
            for (int l = 0; l < w.length; l++) {
                double[] yl = new double[d];
                for (int k = 0; k < n; k++) {
                    for (int j = 0; j < d; j++) {
                        yl[j] += w[l][k] * rows.get(k)[j];
                    }
                }
                double expected = squaredDistance(yi, yl);
                assertEquals(expected, mixed.squaredDistances()[i][l], 1e-9 * norm, "mixes " + i + ", " + l);
            }
        }
        // Rows near each other, far from this centre: their distance cancels in double, to about 1e-16 of the
        // centred products (~1e7 here).
        double close = squaredDistance(rows.get(0), rows.get(3));
        assertEquals(close, g.squaredDistances()[0][3], 1e-6 * close);
    }

    @Test
    void distancesAndNormsMatchADoublePrecisionRecomputationAcrossColumnBlocks() {
        int n = 7;
        int d = 2 * RowGeometry.BLOCK_COLUMNS + 13;
        List<float[]> rows = rows(n, d, 1);
        RowGeometry g = new HeapBatch(rows, new double[n], d).geometry();
        double[][] dist = g.squaredDistances();
        double[] norms = g.squaredNorms();
        for (int i = 0; i < n; i++) {
            double[] xi = combination(rows, unit(n, i));
            assertEquals(squaredDistance(xi, new double[d]), norms[i], 1e-9 * norms[i]);
            for (int j = 0; j < n; j++) {
                double expected = squaredDistance(xi, combination(rows, unit(n, j)));
                assertEquals(expected, dist[i][j], 1e-4 * expected + 1e-12, "rows " + i + ", " + j);
            }
        }
    }

    /**
     * A minority of rows millions of times larger than the rest (an attack whose search ran far) must not cost the
     * rest their distances: centred on the rows' mean, the honest rows' centred values would be about f/n of the
     * attackers' norm and their float products would lose every digit of the honest distances.
     */
    @Test
    void rowsOfEnormousNormDoNotCostTheOthersTheirDistances() {
        int honest = 10;
        int byzantine = 4;
        int d = RowGeometry.BLOCK_COLUMNS + 7;
        List<float[]> rows = new ArrayList<>(rows(honest, d, 3));
        for (int b = 0; b < byzantine; b++) {
            float[] far = new float[d];
            for (int j = 0; j < d; j++) {
                far[j] = rows.getFirst()[j] * (5e6f + b);
            }
            rows.add(far);
        }
        int n = rows.size();
        double[][] dist = new HeapBatch(rows, new double[n], d).geometry().squaredDistances();
        for (int i = 0; i < honest; i++) {
            for (int j = 0; j < honest; j++) {
                double expected = squaredDistance(combination(rows, unit(n, i)), combination(rows, unit(n, j)));
                assertEquals(expected, dist[i][j], 1e-4 * expected + 1e-12, "honest rows " + i + ", " + j);
            }
        }
    }

    @Test
    void innerProductsOfCombinationsMatchTheCombinationsThemselves() {
        int n = 5;
        int d = 300;
        List<float[]> rows = rows(n, d, 2);
        RowGeometry g = new HeapBatch(rows, new double[n], d).geometry();
        Random r = new Random(3);
        double[] a = random(n, r);
        double[] b = random(n, r);
        double[] x = combination(rows, a);
        double[] y = combination(rows, b);
        double expected = 0;
        for (int j = 0; j < d; j++) {
            expected += x[j] * y[j];
        }
        assertEquals(expected, g.inner(a, b), 1e-9 * Math.abs(expected));
        assertEquals(squaredDistance(x, y), g.squaredDistance(a, b), 1e-4 * squaredDistance(x, y));
    }

    @Test
    void aMixedBatchHasTheGeometryAndCombinationsOfItsRowsMaterialised() {
        int n = 4;
        int d = 50;
        List<float[]> rows = rows(n, d, 4);
        HeapBatch base = new HeapBatch(rows, new double[] {1, 2, 3, 4}, d);
        double[][] mix = {{0.5, 0.5, 0, 0}, {0, 0, 2, 0}, {0.1, 0.2, 0.3, 0.4}};
        MixedBatch mixed = new MixedBatch(base, mix, new double[] {1, 1, 1});
        List<double[]> materialised = new ArrayList<>();
        for (double[] m : mix) {
            materialised.add(combination(rows, m));
        }
        double[][] dist = mixed.geometry().squaredDistances();
        double[] norms = mixed.geometry().squaredNorms();
        for (int i = 0; i < mix.length; i++) {
            assertEquals(squaredDistance(materialised.get(i), new double[d]), norms[i], 1e-9 * norms[i]);
            for (int j = 0; j < mix.length; j++) {
                double expected = squaredDistance(materialised.get(i), materialised.get(j));
                assertEquals(expected, dist[i][j], 1e-3 * expected + 1e-9, "mixed rows " + i + ", " + j);
            }
        }
        double[] a = {1, -2, 0.5};
        double[] expected = new double[d];
        for (int i = 0; i < mix.length; i++) {
            for (int j = 0; j < d; j++) {
                expected[j] += a[i] * materialised.get(i)[j];
            }
        }
        assertArrayEquals(expected, mixed.combine(a), 1e-9);
        float[] columns = new float[mix.length * 10];
        mixed.readColumns(20, 30, columns);
        for (int i = 0; i < mix.length; i++) {
            for (int j = 0; j < 10; j++) {
                assertEquals((float) materialised.get(i)[20 + j], columns[i * 10 + j]);
            }
        }
    }

    @Test
    void combiningHeapRowsGivesTheBitsOfFoldingThemOneByOne() {
        List<float[]> rows = rows(6, 1000, 5);
        double[] a = {0.5, 0, 3, -1, 0, 2};
        double[] expected = new double[1000];
        for (int i = 0; i < rows.size(); i++) {
            if (a[i] != 0) {
                for (int j = 0; j < expected.length; j++) {
                    expected[j] += a[i] * rows.get(i)[j];
                }
            }
        }
        assertArrayEquals(expected, new HeapBatch(rows, new double[6], 1000).combine(a));
    }
}
