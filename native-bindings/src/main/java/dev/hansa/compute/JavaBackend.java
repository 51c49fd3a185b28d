package dev.hansa.compute;

/**
 * Plain, single-threaded Java kernels: the reference every faster backend is tested against, and the fallback
 * where nothing else runs. Accumulates dot products and norms in double.
 */
public final class JavaBackend extends HostBackend {

    @Override
    public String name() {
        return "java";
    }

    @Override
    protected void implGemm(Transpose transA, Transpose transB, int m, int n, int k,
                            float alpha, HostFloatArray a, int lda, HostFloatArray b, int ldb,
                            float beta, HostFloatArray c, int ldc) {
        float[] ad = a.data(), bd = b.data(), cd = c.data();
        int ao = a.offset(), bo = b.offset(), co = c.offset();
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
    protected void implGemv(Transpose transA, int m, int n, float alpha, HostFloatArray a, int lda, HostFloatArray x,
                            float beta, HostFloatArray y) {
        float[] ad = a.data(), xd = x.data(), yd = y.data();
        int ao = a.offset(), xo = x.offset(), yo = y.offset();
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
    protected void implAxpy(float alpha, HostFloatArray x, HostFloatArray y) {
        float[] xd = x.data(), yd = y.data();
        int xo = x.offset(), yo = y.offset(), len = (int) x.length();
        for (int i = 0; i < len; i++) {
            yd[yo + i] += alpha * xd[xo + i];
        }
    }

    @Override
    protected float implDot(HostFloatArray x, HostFloatArray y) {
        double sum = 0;
        for (int i = 0; i < x.length(); i++) {
            sum += (double) x.data()[x.offset() + i] * y.data()[y.offset() + i];
        }
        return (float) sum;
    }

    @Override
    protected float implNrm2(HostFloatArray x) {
        double sum = 0;
        for (int i = 0; i < x.length(); i++) {
            double v = x.data()[x.offset() + i];
            sum += v * v;
        }
        return (float) Math.sqrt(sum);
    }

    @Override
    protected void implScal(float alpha, HostFloatArray x) {
        for (int i = 0; i < x.length(); i++) {
            x.data()[x.offset() + i] *= alpha;
        }
    }

    @Override
    protected void implPairwiseSquaredDistances(int n, int d, HostFloatArray hx, HostFloatArray ho) {
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
    protected void implAddRowVector(int rows, int cols, HostFloatArray hm, HostFloatArray hb) {
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                hm.data()[hm.offset() + i * cols + j] += hb.data()[hb.offset() + j];
            }
        }
    }

    @Override
    protected void implColumnSums(int rows, int cols, HostFloatArray hm, HostFloatArray ho) {
        for (int j = 0; j < cols; j++) {
            double sum = 0;
            for (int i = 0; i < rows; i++) {
                sum += hm.data()[hm.offset() + i * cols + j];
            }
            ho.data()[ho.offset() + j] = (float) sum;
        }
    }

    @Override
    protected void implRelu(HostFloatArray hx) {
        for (int i = 0; i < hx.length(); i++) {
            int idx = hx.offset() + i;
            if (!(hx.data()[idx] > 0f)) {
                hx.data()[idx] = 0f;
            }
        }
    }

    @Override
    protected void implReluBackward(HostFloatArray ha, HostFloatArray hg) {
        for (int i = 0; i < hg.length(); i++) {
            if (!(ha.data()[ha.offset() + i] > 0f)) {
                hg.data()[hg.offset() + i] = 0f;
            }
        }
    }
}
