/*
 * The C side of CudaCallOverheadBenchmark: the same calls in a loop, so that Java's time per call minus this one is
 * what the FFM downcall adds. Prototypes are declared here (no cuBLAS headers needed); bin/gpu-check builds it with
 *   cc -O2 -o cublas_call_overhead cublas_call_overhead.c /path/libcublas.so.N /path/libcudart.so.N
 */
#include <stdio.h>
#include <time.h>

extern int cudaMalloc(void **ptr, size_t size);
extern int cudaFree(void *ptr);
extern int cudaDeviceSynchronize(void);
extern int cudaGetLastError(void);
extern int cublasCreate_v2(void **handle);
extern int cublasDestroy_v2(void *handle);
extern int cublasSscal_v2(void *handle, int n, const float *alpha, float *x, int incx);

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

int main(void) {
    void *handle;
    float *x;
    float alpha = 1.0f;
    const int calls = 200000;
    if (cudaMalloc((void **) &x, sizeof(float)) != 0 || cublasCreate_v2(&handle) != 0) {
        fprintf(stderr, "CUDA setup failed\n");
        return 1;
    }
    for (int rep = 0; rep < 5; rep++) {
        double t0 = now();
        int sink = 0;
        for (int i = 0; i < calls; i++) {
            sink |= cudaGetLastError();
        }
        double t1 = now();
        for (int i = 0; i < calls; i++) {
            sink |= cublasSscal_v2(handle, 1, &alpha, x, 1);
        }
        sink |= cudaDeviceSynchronize();
        double t2 = now();
        printf("{\"rep\": %d, \"cudaGetLastError_ns\": %.1f, \"cublasSscal_ns\": %.1f, \"status\": %d}\n",
               rep, (t1 - t0) / calls * 1e9, (t2 - t1) / calls * 1e9, sink);
    }
    cublasDestroy_v2(handle);
    cudaFree(x);
    return 0;
}
