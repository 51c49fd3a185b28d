package dev.hansa.compute.cuda;

/** The device a {@link CudaBackend} runs on and the library versions it loaded, for log lines and reports. */
public record CudaDeviceInfo(int index, String name, int computeMajor, int computeMinor, int multiprocessors,
                             long totalMemory, int runtimeVersion, int driverVersion, int cublasVersion) {

    @Override
    public String toString() {
        return String.format("%s (device %d, sm_%d%d, %d SMs, %.1f GiB), CUDA runtime %s, driver %s, cuBLAS %d.%d.%d",
                name, index, computeMajor, computeMinor, multiprocessors, totalMemory / (double) (1L << 30),
                cudaVersion(runtimeVersion), cudaVersion(driverVersion),
                cublasVersion / 10000, cublasVersion / 100 % 100, cublasVersion % 100);
    }

    private static String cudaVersion(int v) {
        return v / 1000 + "." + v % 1000 / 10;
    }
}
