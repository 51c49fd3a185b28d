package dev.hansa.compute.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link CpuKernels} on the Vector API with the platform's preferred species (AVX-512: 16 floats, AVX2: 8).
 *
 * <p>The GEMM micro-kernel keeps a 6 x (2 vectors) tile in 12 accumulators: with the two B vectors and one broadcast
 * that is 15 registers, so it fits AVX2's 16 as well as AVX-512's 32; on Zen 4 it ran as fast as 12 x 2 and 8 x 3
 * tiles in L1 (bin/bench's "kernel" section measures it). Reductions use four accumulators and add each block of
 * {@link #BLOCK} floats into a double, which bounds float rounding to a block. Loops run vectors first and finish
 * with a scalar tail; this class is only loaded when {@code jdk.incubator.vector} is in the boot layer.
 */
final class PanamaKernels implements CpuKernels {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    private static final int MR = 6;
    private static final int NR = 2 * L;
    /** Reduction block: small enough that float partial sums stay accurate, large enough to amortise the double add. */
    static final int BLOCK = 1024;
    /** Block sums of squares outside [TINY, HUGE] may have underflowed or overflowed in float: redo them in double. */
    private static final float TINY = 0x1p-100f;
    private static final float HUGE = 0x1p100f;

    @Override
    public String description() {
        return "Vector API, " + S.vectorBitSize() + "-bit vectors (" + L + " floats), "
                + MR + " x " + NR + " GEMM micro-tile";
    }

    @Override
    public int mr() {
        return MR;
    }

    @Override
    public int nr() {
        return NR;
    }

    @Override
    public void microKernel(int kc, float[] a, int ao, int rowStride, int stepStride, float[] b, int bo,
                            float alpha, float beta, float[] c, int co, int ldc) {
        FloatVector c00 = FloatVector.zero(S), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00;
        FloatVector c30 = c00, c31 = c00, c40 = c00, c41 = c00, c50 = c00, c51 = c00;
        int r1 = rowStride, r2 = 2 * rowStride, r3 = 3 * rowStride, r4 = 4 * rowStride, r5 = 5 * rowStride;
        for (int p = 0; p < kc; p++, ao += stepStride, bo += NR) {
            FloatVector b0 = FloatVector.fromArray(S, b, bo);
            FloatVector b1 = FloatVector.fromArray(S, b, bo + L);
            FloatVector x = FloatVector.broadcast(S, a[ao]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            x = FloatVector.broadcast(S, a[ao + r1]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            x = FloatVector.broadcast(S, a[ao + r2]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            x = FloatVector.broadcast(S, a[ao + r3]);
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
            x = FloatVector.broadcast(S, a[ao + r4]);
            c40 = x.fma(b0, c40);
            c41 = x.fma(b1, c41);
            x = FloatVector.broadcast(S, a[ao + r5]);
            c50 = x.fma(b0, c50);
            c51 = x.fma(b1, c51);
        }
        // Written out rather than through a helper: C2 does not inline a cold call site, and a vector passed to a
        // method that is not inlined gets boxed.
        FloatVector al = FloatVector.broadcast(S, alpha);
        if (beta == 0f) {
            c00.mul(al).intoArray(c, co);
            c01.mul(al).intoArray(c, co + L);
            c10.mul(al).intoArray(c, co + 1 * ldc);
            c11.mul(al).intoArray(c, co + 1 * ldc + L);
            c20.mul(al).intoArray(c, co + 2 * ldc);
            c21.mul(al).intoArray(c, co + 2 * ldc + L);
            c30.mul(al).intoArray(c, co + 3 * ldc);
            c31.mul(al).intoArray(c, co + 3 * ldc + L);
            c40.mul(al).intoArray(c, co + 4 * ldc);
            c41.mul(al).intoArray(c, co + 4 * ldc + L);
            c50.mul(al).intoArray(c, co + 5 * ldc);
            c51.mul(al).intoArray(c, co + 5 * ldc + L);
        } else {
            FloatVector be = FloatVector.broadcast(S, beta);
            FloatVector.fromArray(S, c, co).fma(be, c00.mul(al)).intoArray(c, co);
            FloatVector.fromArray(S, c, co + L).fma(be, c01.mul(al)).intoArray(c, co + L);
            FloatVector.fromArray(S, c, co + 1 * ldc).fma(be, c10.mul(al)).intoArray(c, co + 1 * ldc);
            FloatVector.fromArray(S, c, co + 1 * ldc + L).fma(be, c11.mul(al)).intoArray(c, co + 1 * ldc + L);
            FloatVector.fromArray(S, c, co + 2 * ldc).fma(be, c20.mul(al)).intoArray(c, co + 2 * ldc);
            FloatVector.fromArray(S, c, co + 2 * ldc + L).fma(be, c21.mul(al)).intoArray(c, co + 2 * ldc + L);
            FloatVector.fromArray(S, c, co + 3 * ldc).fma(be, c30.mul(al)).intoArray(c, co + 3 * ldc);
            FloatVector.fromArray(S, c, co + 3 * ldc + L).fma(be, c31.mul(al)).intoArray(c, co + 3 * ldc + L);
            FloatVector.fromArray(S, c, co + 4 * ldc).fma(be, c40.mul(al)).intoArray(c, co + 4 * ldc);
            FloatVector.fromArray(S, c, co + 4 * ldc + L).fma(be, c41.mul(al)).intoArray(c, co + 4 * ldc + L);
            FloatVector.fromArray(S, c, co + 5 * ldc).fma(be, c50.mul(al)).intoArray(c, co + 5 * ldc);
            FloatVector.fromArray(S, c, co + 5 * ldc + L).fma(be, c51.mul(al)).intoArray(c, co + 5 * ldc + L);
        }
    }

    @Override
    public void halfTile(int kc, float[] a, int ao, int rowStride, int stepStride, float[] b, int bo, float[] tile) {
        FloatVector c0 = FloatVector.zero(S), c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0;
        int r1 = rowStride, r2 = 2 * rowStride, r3 = 3 * rowStride, r4 = 4 * rowStride, r5 = 5 * rowStride;
        for (int p = 0; p < kc; p++, ao += stepStride, bo += NR) {
            FloatVector b0 = FloatVector.fromArray(S, b, bo);
            c0 = FloatVector.broadcast(S, a[ao]).fma(b0, c0);
            c1 = FloatVector.broadcast(S, a[ao + r1]).fma(b0, c1);
            c2 = FloatVector.broadcast(S, a[ao + r2]).fma(b0, c2);
            c3 = FloatVector.broadcast(S, a[ao + r3]).fma(b0, c3);
            c4 = FloatVector.broadcast(S, a[ao + r4]).fma(b0, c4);
            c5 = FloatVector.broadcast(S, a[ao + r5]).fma(b0, c5);
        }
        c0.intoArray(tile, 0);
        c1.intoArray(tile, NR);
        c2.intoArray(tile, 2 * NR);
        c3.intoArray(tile, 3 * NR);
        c4.intoArray(tile, 4 * NR);
        c5.intoArray(tile, 5 * NR);
    }

    @Override
    public void mergeTile(float[] tile, int rows, int cols, float alpha, float beta, float[] c, int co, int ldc) {
        FloatVector betaV = FloatVector.broadcast(S, beta);
        for (int r = 0; r < rows; r++, co += ldc) {
            int t = r * NR, j = 0;
            for (; j + L <= cols; j += L) {
                FloatVector v = FloatVector.fromArray(S, tile, t + j).mul(alpha);
                if (beta != 0f) {
                    v = FloatVector.fromArray(S, c, co + j).fma(betaV, v);
                }
                v.intoArray(c, co + j);
            }
            // A scalar tail, not a masked vector: near the end of C's array a masked access leaves the intrinsic for
            // a lane-by-lane fallback that was slower than this loop (edge tiles of every small product).
            for (; j < cols; j++) {
                float v = alpha * tile[t + j];
                c[co + j] = beta == 0f ? v : Math.fma(c[co + j], beta, v);
            }
        }
    }

    @Override
    public void axpy(int n, float alpha, float[] x, int xo, float[] y, int yo) {
        FloatVector alphaV = FloatVector.broadcast(S, alpha);
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector.fromArray(S, x, xo + i).fma(alphaV, FloatVector.fromArray(S, y, yo + i)).intoArray(y, yo + i);
        }
        for (; i < n; i++) {
            y[yo + i] = Math.fma(alpha, x[xo + i], y[yo + i]);
        }
    }

    @Override
    public double dot(int n, float[] x, int xo, float[] y, int yo) {
        double sum = 0;
        for (int start = 0; start < n; start += BLOCK) {
            int len = Math.min(BLOCK, n - start);
            sum += dotBlock(len, x, xo + start, y, yo + start);
        }
        return sum;
    }

    private static float dotBlock(int n, float[] x, int xo, float[] y, int yo) {
        FloatVector s0 = FloatVector.zero(S), s1 = s0, s2 = s0, s3 = s0;
        int i = 0;
        for (int bound = n - 4 * L; i <= bound; i += 4 * L) {
            s0 = FloatVector.fromArray(S, x, xo + i).fma(FloatVector.fromArray(S, y, yo + i), s0);
            s1 = FloatVector.fromArray(S, x, xo + i + L).fma(FloatVector.fromArray(S, y, yo + i + L), s1);
            s2 = FloatVector.fromArray(S, x, xo + i + 2 * L).fma(FloatVector.fromArray(S, y, yo + i + 2 * L), s2);
            s3 = FloatVector.fromArray(S, x, xo + i + 3 * L).fma(FloatVector.fromArray(S, y, yo + i + 3 * L), s3);
        }
        for (int bound = S.loopBound(n); i < bound; i += L) {
            s0 = FloatVector.fromArray(S, x, xo + i).fma(FloatVector.fromArray(S, y, yo + i), s0);
        }
        float sum = sumLanes(s0.add(s1).add(s2.add(s3)));
        for (; i < n; i++) {
            sum = Math.fma(x[xo + i], y[yo + i], sum);
        }
        return sum;
    }

    @Override
    public double sumOfSquares(int n, float[] x, int xo) {
        double sum = 0;
        for (int start = 0; start < n; start += BLOCK) {
            int len = Math.min(BLOCK, n - start);
            float block = squaresBlock(len, x, xo + start, 1f);
            sum += block >= TINY && block <= HUGE ? block : rescaledSquares(len, x, xo + start);
        }
        return sum;
    }

    /** Squares of a block scaled by a power of two that brings its largest magnitude into [1, 2). */
    private static double rescaledSquares(int n, float[] x, int xo) {
        float max = maxAbs(n, x, xo);
        if (max == 0f || !Float.isFinite(max)) {
            return (double) max * max; // 0, or propagates Inf and NaN
        }
        int e = Math.getExponent(max);
        return Math.scalb((double) squaresBlock(n, x, xo, Math.scalb(1f, -e)), 2 * e);
    }

    private static float squaresBlock(int n, float[] x, int xo, float scale) {
        FloatVector s0 = FloatVector.zero(S), s1 = s0;
        int i = 0;
        for (int bound = n - 2 * L; i <= bound; i += 2 * L) {
            FloatVector v0 = FloatVector.fromArray(S, x, xo + i).mul(scale);
            FloatVector v1 = FloatVector.fromArray(S, x, xo + i + L).mul(scale);
            s0 = v0.fma(v0, s0);
            s1 = v1.fma(v1, s1);
        }
        float sum = sumLanes(s0.add(s1));
        for (; i < n; i++) {
            float v = x[xo + i] * scale;
            sum = Math.fma(v, v, sum);
        }
        return sum;
    }

    private static float maxAbs(int n, float[] x, int xo) {
        FloatVector m = FloatVector.zero(S);
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            m = m.max(FloatVector.fromArray(S, x, xo + i).abs());
        }
        float max = m.reduceLanes(VectorOperators.MAX);
        for (; i < n; i++) {
            max = Math.max(max, Math.abs(x[xo + i]));
        }
        return max;
    }

    @Override
    public void scal(int n, float alpha, float[] x, int xo) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector.fromArray(S, x, xo + i).mul(alpha).intoArray(x, xo + i);
        }
        for (; i < n; i++) {
            x[xo + i] *= alpha;
        }
    }

    @Override
    public void addRowVector(int rows, int cols, float[] m, int mo, int ld, float[] bias, int bo) {
        for (int r = 0; r < rows; r++) {
            axpy(cols, 1f, bias, bo, m, mo + r * ld);
        }
    }

    @Override
    public void columnSums(int rows, int cols, float[] m, int mo, float[] out, int oo) {
        int j = 0;
        // Four vectors of columns at a time, summed down the rows in registers.
        for (int bound = cols - 4 * L; j <= bound; j += 4 * L) {
            FloatVector s0 = FloatVector.zero(S), s1 = s0, s2 = s0, s3 = s0;
            for (int r = 0, at = mo + j; r < rows; r++, at += cols) {
                s0 = s0.add(FloatVector.fromArray(S, m, at));
                s1 = s1.add(FloatVector.fromArray(S, m, at + L));
                s2 = s2.add(FloatVector.fromArray(S, m, at + 2 * L));
                s3 = s3.add(FloatVector.fromArray(S, m, at + 3 * L));
            }
            s0.intoArray(out, oo + j);
            s1.intoArray(out, oo + j + L);
            s2.intoArray(out, oo + j + 2 * L);
            s3.intoArray(out, oo + j + 3 * L);
        }
        for (; j + L <= cols; j += L) {
            FloatVector s = FloatVector.zero(S);
            for (int r = 0, at = mo + j; r < rows; r++, at += cols) {
                s = s.add(FloatVector.fromArray(S, m, at));
            }
            s.intoArray(out, oo + j);
        }
        // Scalar, not masked, for the reason given in mergeTile; same order of additions as the lanes above.
        for (; j < cols; j++) {
            float s = 0f;
            for (int r = 0, at = mo + j; r < rows; r++, at += cols) {
                s += m[at];
            }
            out[oo + j] = s;
        }
    }

    @Override
    public void relu(int n, float[] x, int xo) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, xo + i);
            v.blend(0f, v.compare(VectorOperators.GT, 0f).not()).intoArray(x, xo + i);
        }
        for (; i < n; i++) {
            if (!(x[xo + i] > 0f)) {
                x[xo + i] = 0f;
            }
        }
    }

    @Override
    public void reluBackward(int n, float[] act, int ao, float[] g, int go) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            VectorMask<Float> off = FloatVector.fromArray(S, act, ao + i).compare(VectorOperators.GT, 0f).not();
            FloatVector.fromArray(S, g, go + i).blend(0f, off).intoArray(g, go + i);
        }
        for (; i < n; i++) {
            if (!(act[ao + i] > 0f)) {
                g[go + i] = 0f;
            }
        }
    }

    /**
     * The lanes' sum in lane order. {@code reduceLanes(ADD)} leaves the order open, and its result changed in the last
     * bits once the JIT compiled the kernel, which made identical runs differ.
     */
    private static float sumLanes(FloatVector v) {
        float sum = 0;
        for (float lane : v.toArray()) {
            sum += lane;
        }
        return sum;
    }
}
