package dev.hansa.compute;

/**
 * Plain, single-threaded Java kernels: the reference every faster backend is tested against, and the fallback
 * where nothing else runs. Accumulates dot products and norms in double.
 */
public final class JavaBackend implements Backend {

    @Override
    public String name() {
        return "java";
    }

    @Override
    public FloatArray allocate(long length) {
        return HostFloatArray.allocate(this, length);
    }

    private HostFloatArray host(FloatArray array, String name) {
        return HostFloatArray.of(array, this, name);
    }

    @Override
    public void gemm(Transpose transA, Transpose transB, int m, int n, int k,
                     float alpha, FloatArray a, int lda, FloatArray b, int ldb,
                     float beta, FloatArray c, int ldc) {
        Shapes.checkGemm(transA, transB, m, n, k, a, lda, b, ldb, c, ldc);
        HostFloatArray ha = host(a, "a"), hb = host(b, "b"), hc = host(c, "c");
        float[] ad = ha.data(), bd = hb.data(), cd = hc.data();
        int ao = ha.offset(), bo = hb.offset(), co = hc.offset();
        boolean ta = transA.transposed(), tb = transB.transposed();
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double sum = 0;
                for (int p = 0; p < k && alpha != 0f; p++) {
                    float av = ta ? ad[ao + p * lda + i] : ad[ao + i * lda + p];
                    float bv = tb ? bd[bo + j * ldb + p] : bd[bo + p * ldb + j];
                    sum += (double) av * bv;
                }
                int idx = co + i * ldc + j;
                cd[idx] = beta == 0f ? (float) (alpha * sum) : (float) (alpha * sum + beta * cd[idx]);
            }
        }
    }

    @Override
    public void gemv(Transpose transA, int m, int n, float alpha, FloatArray a, int lda, FloatArray x,
                     float beta, FloatArray y) {
        Shapes.checkGemv(transA, m, n, a, lda, x, y);
        HostFloatArray ha = host(a, "a"), hx = host(x, "x"), hy = host(y, "y");
        float[] ad = ha.data(), xd = hx.data(), yd = hy.data();
        int ao = ha.offset(), xo = hx.offset(), yo = hy.offset();
        boolean t = transA.transposed();
        int outLen = t ? n : m, inLen = t ? m : n;
        for (int i = 0; i < outLen; i++) {
            double sum = 0;
            for (int p = 0; p < inLen && alpha != 0f; p++) {
                float av = t ? ad[ao + p * lda + i] : ad[ao + i * lda + p];
                sum += (double) av * xd[xo + p];
            }
            yd[yo + i] = beta == 0f ? (float) (alpha * sum) : (float) (alpha * sum + beta * yd[yo + i]);
        }
    }

    @Override
    public void axpy(float alpha, FloatArray x, FloatArray y) {
        Shapes.checkSameLength(x, y);
        HostFloatArray hx = host(x, "x"), hy = host(y, "y");
        float[] xd = hx.data(), yd = hy.data();
        int xo = hx.offset(), yo = hy.offset(), len = (int) x.length();
        for (int i = 0; i < len; i++) {
            yd[yo + i] += alpha * xd[xo + i];
        }
    }

    @Override
    public float dot(FloatArray x, FloatArray y) {
        Shapes.checkSameLength(x, y);
        HostFloatArray hx = host(x, "x"), hy = host(y, "y");
        double sum = 0;
        for (int i = 0; i < x.length(); i++) {
            sum += (double) hx.data()[hx.offset() + i] * hy.data()[hy.offset() + i];
        }
        return (float) sum;
    }

    @Override
    public float nrm2(FloatArray x) {
        HostFloatArray hx = host(x, "x");
        double sum = 0;
        for (int i = 0; i < x.length(); i++) {
            double v = hx.data()[hx.offset() + i];
            sum += v * v;
        }
        return (float) Math.sqrt(sum);
    }

    @Override
    public void scal(float alpha, FloatArray x) {
        HostFloatArray hx = host(x, "x");
        for (int i = 0; i < x.length(); i++) {
            hx.data()[hx.offset() + i] *= alpha;
        }
    }

    @Override
    public void copy(FloatArray src, FloatArray dst) {
        Shapes.checkSameLength(src, dst);
        HostFloatArray hs = host(src, "src"), hd = host(dst, "dst");
        System.arraycopy(hs.data(), hs.offset(), hd.data(), hd.offset(), (int) src.length());
    }

    @Override
    public void fill(FloatArray x, float value) {
        HostFloatArray hx = host(x, "x");
        java.util.Arrays.fill(hx.data(), hx.offset(), hx.offset() + (int) x.length(), value);
    }

    @Override
    public void pairwiseSquaredDistances(int n, int d, FloatArray x, FloatArray out) {
        Shapes.checkPairwise(n, d, x, out);
        HostFloatArray hx = host(x, "x"), ho = host(out, "out");
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double sum = 0;
                for (int p = 0; p < d; p++) {
                    double diff = (double) hx.data()[hx.offset() + i * d + p] - hx.data()[hx.offset() + j * d + p];
                    sum += diff * diff;
                }
                ho.data()[ho.offset() + i * n + j] = (float) sum;
            }
        }
    }

    @Override
    public void addRowVector(int rows, int cols, FloatArray matrix, FloatArray bias) {
        Shapes.checkMatrix("matrix", rows, cols, matrix);
        Shapes.checkLength("bias", cols, bias);
        HostFloatArray hm = host(matrix, "matrix"), hb = host(bias, "bias");
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                hm.data()[hm.offset() + i * cols + j] += hb.data()[hb.offset() + j];
            }
        }
    }

    @Override
    public void columnSums(int rows, int cols, FloatArray matrix, FloatArray out) {
        Shapes.checkMatrix("matrix", rows, cols, matrix);
        Shapes.checkLength("out", cols, out);
        HostFloatArray hm = host(matrix, "matrix"), ho = host(out, "out");
        for (int j = 0; j < cols; j++) {
            double sum = 0;
            for (int i = 0; i < rows; i++) {
                sum += hm.data()[hm.offset() + i * cols + j];
            }
            ho.data()[ho.offset() + j] = (float) sum;
        }
    }

    @Override
    public void relu(FloatArray x) {
        HostFloatArray hx = host(x, "x");
        for (int i = 0; i < x.length(); i++) {
            int idx = hx.offset() + i;
            if (!(hx.data()[idx] > 0f)) {
                hx.data()[idx] = 0f;
            }
        }
    }

    @Override
    public void reluBackward(FloatArray activation, FloatArray grad) {
        Shapes.checkSameLength(activation, grad);
        HostFloatArray ha = host(activation, "activation"), hg = host(grad, "grad");
        for (int i = 0; i < grad.length(); i++) {
            if (!(ha.data()[ha.offset() + i] > 0f)) {
                hg.data()[hg.offset() + i] = 0f;
            }
        }
    }

    @Override
    public double softmaxCrossEntropy(int rows, int cols, FloatArray logits, int[] labels, FloatArray gradOut) {
        Shapes.checkMatrix("logits", rows, cols, logits);
        Shapes.checkMatrix("gradOut", rows, cols, gradOut);
        Shapes.checkLabels(rows, cols, labels);
        HostFloatArray hl = host(logits, "logits"), hg = host(gradOut, "gradOut");
        return softmaxCrossEntropy(rows, cols, hl.data(), hl.offset(), labels, hg.data(), hg.offset());
    }

    /** The row-wise softmax cross-entropy on raw arrays, in double; shared with {@link CpuBackend}. */
    static double softmaxCrossEntropy(int rows, int cols, float[] logits, int lo, int[] labels, float[] grad, int go) {
        double loss = 0;
        for (int i = 0; i < rows; i++) {
            int base = lo + i * cols, gbase = go + i * cols;
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < cols; j++) {
                max = Math.max(max, logits[base + j]);
            }
            double sum = 0;
            for (int j = 0; j < cols; j++) {
                sum += Math.exp(logits[base + j] - max);
            }
            double logSum = Math.log(sum) + max;
            loss += logSum - logits[base + labels[i]];
            for (int j = 0; j < cols; j++) {
                double p = Math.exp(logits[base + j] - logSum);
                grad[gbase + j] = (float) (j == labels[i] ? p - 1.0 : p);
            }
        }
        return loss;
    }
}
