// Element-wise and small reduction kernels for dev.hansa.compute.cuda.CudaBackend; cuBLAS does the BLAS work.
//
// Compiled to PTX by native-bindings/bin/build-ptx (the PTX is committed as a resource and JIT-compiled by the
// driver at load time). Every kernel is extern "C" so its PTX entry name is the plain name CudaKernels looks up, and
// every parameter list is mirrored by a launch in CudaKernels: keep the two in sync. Element-wise kernels use
// grid-stride loops with 64-bit indices, so any grid size covers any length.

#include <math.h>

#define GRID_STRIDE(i, n) \
    for (long long i = blockIdx.x * (long long) blockDim.x + threadIdx.x; i < (n); \
         i += (long long) gridDim.x * blockDim.x)

extern "C" {

// x[i] = value
__global__ void hansa_fill(long long n, float value, float *x) {
    GRID_STRIDE(i, n) {
        x[i] = value;
    }
}

// C[r, c] = beta * C[r, c] for a rows x cols block with row stride ldc; C is not read when beta is 0.
__global__ void hansa_scale_matrix(int rows, int cols, float beta, float *c, int ldc) {
    GRID_STRIDE(i, (long long) rows * cols) {
        long long at = (i / cols) * ldc + i % cols;
        c[at] = beta == 0.0f ? 0.0f : beta * c[at];
    }
}

// m[r, c] += bias[c]
__global__ void hansa_add_row_vector(int rows, int cols, float *m, const float *bias) {
    GRID_STRIDE(i, (long long) rows * cols) {
        m[i] += bias[i % cols];
    }
}

// out[c] = sum over r of m[r, c]: one thread per column, so neighbouring threads read neighbouring addresses.
__global__ void hansa_column_sums(int rows, int cols, const float *m, float *out) {
    GRID_STRIDE(c, cols) {
        float sum = 0.0f;
        for (int r = 0; r < rows; r++) {
            sum += m[(long long) r * cols + c];
        }
        out[c] = sum;
    }
}

// x = x > 0 ? x : 0 (NaN becomes 0, as in the reference backend)
__global__ void hansa_relu(long long n, float *x) {
    GRID_STRIDE(i, n) {
        x[i] = x[i] > 0.0f ? x[i] : 0.0f;
    }
}

// g = act > 0 ? g : 0
__global__ void hansa_relu_backward(long long n, const float *act, float *g) {
    GRID_STRIDE(i, n) {
        if (!(act[i] > 0.0f)) {
            g[i] = 0.0f;
        }
    }
}

// One warp per row of logits: grad = softmax - onehot(label), rowLoss = logsumexp - logit[label]. grad may alias
// logits: each lane only overwrites the columns it read, and the label's logit is read before any lane writes.
__global__ void hansa_softmax_xent(int rows, int cols, const float *logits, const int *labels, float *grad,
                                   float *rowLoss) {
    int row = (int) ((blockIdx.x * (long long) blockDim.x + threadIdx.x) >> 5);
    int lane = threadIdx.x & 31;
    if (row >= rows) {
        return; // rows are whole warps, so the warp leaves together
    }
    const float *in = logits + (long long) row * cols;
    float *out = grad + (long long) row * cols;
    float max = -INFINITY;
    for (int j = lane; j < cols; j += 32) {
        max = fmaxf(max, in[j]);
    }
    for (int offset = 16; offset > 0; offset >>= 1) {
        max = fmaxf(max, __shfl_xor_sync(0xffffffffu, max, offset));
    }
    float sum = 0.0f;
    for (int j = lane; j < cols; j += 32) {
        sum += expf(in[j] - max);
    }
    for (int offset = 16; offset > 0; offset >>= 1) {
        sum += __shfl_xor_sync(0xffffffffu, sum, offset);
    }
    float logSum = logf(sum) + max;
    int label = labels[row];
    float target = in[label];
    __syncwarp();
    for (int j = lane; j < cols; j += 32) {
        float p = expf(in[j] - logSum);
        out[j] = j == label ? p - 1.0f : p;
    }
    if (lane == 0) {
        rowLoss[row] = logSum - target;
    }
}

// out[0] = sum of values, in double, in a fixed order (one block of 256 threads): the loss is reproducible.
__global__ void hansa_sum_to_double(int n, const float *values, double *out) {
    __shared__ double partial[256];
    double sum = 0.0;
    for (int i = threadIdx.x; i < n; i += blockDim.x) {
        sum += values[i];
    }
    partial[threadIdx.x] = sum;
    __syncthreads();
    for (int stride = blockDim.x / 2; stride > 0; stride >>= 1) {
        if (threadIdx.x < stride) {
            partial[threadIdx.x] += partial[threadIdx.x + stride];
        }
        __syncthreads();
    }
    if (threadIdx.x == 0) {
        out[0] = partial[0];
    }
}

// out[r, p] = x[r, d0 + p] + negMean[d0 + p] for the n x w column block starting at d0 of the n x d matrix x.
__global__ void hansa_centre_block(int n, int d, int d0, int w, const float *x, const float *negMean, float *out) {
    GRID_STRIDE(i, (long long) n * w) {
        long long r = i / w;
        int p = (int) (i % w);
        out[i] = x[r * d + d0 + p] + negMean[d0 + p];
    }
}

// Gram matrix g (n x n) to squared distances, off the diagonal: symmetric, clamped at 0. Thread (i, j) with i < j
// owns cells (i, j) and (j, i); the diagonal is only read here and zeroed by hansa_zero_diagonal afterwards.
__global__ void hansa_gram_to_distances(int n, float *g) {
    int j = blockIdx.x * blockDim.x + threadIdx.x;
    int i = blockIdx.y * blockDim.y + threadIdx.y;
    if (i < j && j < n) {
        long long ij = (long long) i * n + j, ji = (long long) j * n + i;
        float cross = g[ij] + g[ji];
        float dist = fmaxf(0.0f, g[(long long) i * n + i] + g[(long long) j * n + j] - cross);
        g[ij] = dist;
        g[ji] = dist;
    }
}

__global__ void hansa_zero_diagonal(int n, float *g) {
    GRID_STRIDE(i, n) {
        g[i * n + i] = 0.0f;
    }
}

}  // extern "C"
