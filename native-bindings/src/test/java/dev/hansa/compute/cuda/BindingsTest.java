package dev.hansa.compute.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hansa.compute.cuda.bindings.cublas_api_h;
import dev.hansa.compute.cuda.bindings.cuda_h;
import dev.hansa.compute.cuda.bindings.cuda_runtime_api_h;
import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Checks the native surface without a GPU: the Java signatures of the bindings against the C prototypes (LP64: int
 * is 32-bit, size_t 64-bit, every pointer and handle an address), the kernel argument block's layout, and the kernel
 * signature table against the committed PTX.
 */
class BindingsTest {

    /** C prototypes as in the CUDA 13 headers, reduced to parameter types. */
    private static final Map<Class<?>, List<String>> PROTOTYPES = Map.of(
            cuda_runtime_api_h.class, List.of(
                    "int cudaMalloc(void**, size_t)", "int cudaFree(void*)",
                    "int cudaMemcpyAsync(void*, const void*, size_t, int, cudaStream_t)",
                    "int cudaStreamCreateWithFlags(cudaStream_t*, unsigned int)",
                    "int cudaDeviceGetAttribute(int*, int, int)", "int cudaMemGetInfo(size_t*, size_t*)",
                    "char* cudaGetErrorString(int)", "int cudaEventElapsedTime(float*, cudaEvent_t, cudaEvent_t)"),
            cuda_h.class, List.of(
                    "int cuModuleLoadData(CUmodule*, const void*)",
                    "int cuModuleGetFunction(CUfunction*, CUmodule, const char*)",
                    "int cuLaunchKernel(CUfunction, unsigned int, unsigned int, unsigned int, unsigned int, unsigned int,"
                            + " unsigned int, unsigned int, CUstream, void**, void**)",
                    "int cuDeviceGetName(char*, int, int)", "int cuGetErrorString(int, const char**)"),
            cublas_api_h.class, List.of(
                    "int cublasSgemm_v2(cublasHandle_t, int, int, int, int, int, const float*, const float*, int,"
                            + " const float*, int, const float*, float*, int)",
                    "int cublasSgemv_v2(cublasHandle_t, int, int, int, const float*, const float*, int, const float*,"
                            + " int, const float*, float*, int)",
                    "int cublasSaxpy_v2(cublasHandle_t, int, const float*, const float*, int, float*, int)",
                    "int cublasSdot_v2(cublasHandle_t, int, const float*, int, const float*, int, float*)",
                    "int cublasSnrm2_v2(cublasHandle_t, int, const float*, int, float*)",
                    "int cublasSscal_v2(cublasHandle_t, int, const float*, float*, int)",
                    "int cublasSetMathMode(cublasHandle_t, int)", "char* cublasGetStatusString(int)"));

    private static Class<?> javaType(String c) {
        c = c.trim();
        if (c.endsWith("*") || c.endsWith("_t") && !c.equals("size_t") || c.startsWith("CU")) {
            return MemorySegment.class;
        }
        return switch (c) {
            case "int", "unsigned int" -> int.class;
            case "size_t" -> long.class;
            case "float" -> float.class;
            default -> throw new IllegalArgumentException(c);
        };
    }

    @Test
    void bindingSignaturesMatchTheCPrototypes() {
        Pattern prototype = Pattern.compile("(\\S+) (\\w+)\\((.*)\\)");
        PROTOTYPES.forEach((header, prototypes) -> {
            for (String p : prototypes) {
                Matcher m = prototype.matcher(p);
                assertTrue(m.matches(), p);
                Class<?>[] params = Arrays.stream(m.group(3).split(",")).map(BindingsTest::javaType).toArray(Class<?>[]::new);
                Method method = Arrays.stream(header.getMethods())
                        .filter(x -> x.getName().equals(m.group(2)) && Modifier.isStatic(x.getModifiers()))
                        .findFirst().orElseThrow(() -> new AssertionError(header.getSimpleName() + " lacks " + m.group(2)));
                assertEquals(List.of(params), List.of(method.getParameterTypes()), p);
                assertEquals(javaType(m.group(1)), method.getReturnType(), p);
            }
        });
    }

    @Test
    void constantsHaveTheHeaderValues() {
        assertEquals(1, cuda_runtime_api_h.cudaMemcpyHostToDevice());
        assertEquals(2, cuda_runtime_api_h.cudaMemcpyDeviceToHost());
        assertEquals(3, cuda_runtime_api_h.cudaMemcpyDeviceToDevice());
        assertEquals(1, cuda_runtime_api_h.cudaStreamNonBlocking());
        assertEquals(16, cuda_runtime_api_h.cudaDevAttrMultiProcessorCount());
        assertEquals(75, cuda_runtime_api_h.cudaDevAttrComputeCapabilityMajor());
        assertEquals(0, cublas_api_h.CUBLAS_OP_N());
        assertEquals(1, cublas_api_h.CUBLAS_OP_T());
        assertEquals(3, cublas_api_h.CUBLAS_TF32_TENSOR_OP_MATH());
        assertEquals(8, cuda_runtime_api_h.C_POINTER.byteSize());
        assertEquals(8, cuda_runtime_api_h.C_LONG.byteSize());
    }

    @Test
    void kernelArgumentSlotsArePointedToInOrder() {
        try (Arena arena = Arena.ofConfined()) {
            KernelArgs args = new KernelArgs(arena).reset().i32(-7).i64(1L << 40).f32(2.5f).ptr(0xdead_beefL);
            assertEquals("i32 i64 f32 ptr", args.kinds());
            assertTrue(args.matches("i32 i64 f32 ptr"));
            MemorySegment array = args.array();
            assertEquals(-7, slot(array, 0).get(ValueLayout.JAVA_INT, 0));
            assertEquals(1L << 40, slot(array, 1).get(ValueLayout.JAVA_LONG, 0));
            assertEquals(2.5f, slot(array, 2).get(ValueLayout.JAVA_FLOAT, 0));
            assertEquals(0xdead_beefL, slot(array, 3).get(ValueLayout.JAVA_LONG, 0));
            assertEquals(8, slot(array, 1).address() - slot(array, 0).address(), "8-byte slots");
            args.reset().ptr(1);
            assertEquals("ptr", args.kinds());
        }
    }

    private static MemorySegment slot(MemorySegment array, int i) {
        return array.getAtIndex(ValueLayout.ADDRESS, i).reinterpret(8);
    }

    /** The launch table in CudaKernels must match the parameter lists nvcc wrote into the PTX. */
    @Test
    void kernelSignaturesMatchThePtxEntries() throws IOException {
        String ptx;
        try (InputStream in = CudaKernels.class.getResourceAsStream(CudaKernels.PTX_RESOURCE)) {
            assertNotNull(in, "PTX resource");
            ptx = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        }
        assertTrue(ptx.contains("\n.version 7.0\n") && ptx.contains("\n.target sm_75\n"), "PTX header");
        Map<String, String> entries = new LinkedHashMap<>();
        Matcher entry = Pattern.compile("\\.visible \\.entry (\\w+)\\(([^)]*)\\)").matcher(ptx);
        while (entry.find()) {
            String kinds = Pattern.compile("\\.param \\.(\\w+)").matcher(entry.group(2)).results()
                    .map(r -> switch (r.group(1)) {
                        case "u64", "b64", "s64" -> "64";
                        case "u32", "b32", "s32" -> "i32";
                        case "f32" -> "f32";
                        default -> r.group(1);
                    })
                    .collect(Collectors.joining(" "));
            entries.put(entry.group(1), kinds);
        }
        assertEquals(CudaKernels.SIGNATURES.keySet(), entries.keySet());
        CudaKernels.SIGNATURES.forEach((name, signature) ->
                assertEquals(signature.replace("i64", "64").replace("ptr", "64"), entries.get(name), name));
    }
}
