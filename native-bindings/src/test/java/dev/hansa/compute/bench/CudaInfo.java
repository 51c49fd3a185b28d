package dev.hansa.compute.bench;

import dev.hansa.compute.cuda.CudaBackend;
import dev.hansa.compute.cuda.CudaLibraries;
import dev.hansa.compute.cuda.CudaUnavailableException;

/**
 * Prints, as shell assignments for bin/gpu-check, the CUDA libraries this JVM loads and the device it would use, or
 * why CUDA is unavailable (exit status 1).
 */
public final class CudaInfo {

    private CudaInfo() {
    }

    public static void main(String[] args) {
        try {
            CudaLibraries.Loaded loaded = CudaLibraries.load();
            try (CudaBackend backend = CudaBackend.create()) {
                System.out.println("CUDART='" + loaded.cudart() + "'");
                System.out.println("CUBLAS='" + loaded.cublas() + "'");
                System.out.println("DEVICE='" + backend.description() + "'");
            }
        } catch (CudaUnavailableException e) {
            System.out.println("UNAVAILABLE='" + e.getMessage().replace("'", "") + "'");
            System.exit(1);
        }
    }
}
