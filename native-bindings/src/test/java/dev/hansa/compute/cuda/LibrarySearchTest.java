package dev.hansa.compute.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LibrarySearchTest {

    @TempDir
    Path root;

    private Path touch(String relative) throws IOException {
        Path file = root.resolve(relative);
        Files.createDirectories(file.getParent());
        return Files.createFile(file);
    }

    private LibrarySearch search(Map<String, String> env, String override) {
        return LibrarySearch.standard(env, override, root.resolve("home"), root.resolve("usr/local/cuda"),
                root.resolve("usr/local"), List.of(root.resolve("usr/lib/x86_64-linux-gnu")));
    }

    private Optional<LibrarySearch.Found> find(LibrarySearch search, String name) {
        return search.find(name, CudaLibraries.MAJORS);
    }

    @Test
    void cudaHomeComesBeforeLdLibraryPathAndTheDefaults() throws IOException {
        Path home = touch("toolkit/lib64/libcudart.so.12");
        touch("ld/libcudart.so.13");
        touch("usr/local/cuda/lib64/libcudart.so.13");
        var env = Map.of("CUDA_HOME", root.resolve("toolkit").toString(), "LD_LIBRARY_PATH", root.resolve("ld").toString());
        assertEquals(new LibrarySearch.Found(home, 12), find(search(env, ""), "cudart").orElseThrow(),
                "an explicit CUDA_HOME wins over a newer runtime elsewhere");
    }

    @Test
    void theSystemPropertyComesFirst() throws IOException {
        touch("toolkit/lib64/libcublas.so.13");
        Path chosen = touch("chosen/libcublas.so.13");
        var env = Map.of("CUDA_HOME", root.resolve("toolkit").toString());
        assertEquals(chosen, find(search(env, root.resolve("chosen").toString()), "cublas").orElseThrow().path());
    }

    @Test
    void withinADirectoryTheNewestMajorWins() throws IOException {
        touch("ld/libcublas.so.12");
        Path newest = touch("ld/libcublas.so.13");
        var env = Map.of("LD_LIBRARY_PATH", "/nonexistent:" + root.resolve("ld"));
        assertEquals(new LibrarySearch.Found(newest, 13), find(search(env, ""), "cublas").orElseThrow());
    }

    @Test
    void findsCuda13AndCuda12PipWheelLayouts() throws IOException {
        Path cu13 = touch("venv/lib/python3.12/site-packages/nvidia/cu13/lib/libcublas.so.13");
        var venv = Map.of("VIRTUAL_ENV", root.resolve("venv").toString());
        assertEquals(cu13, find(search(venv, ""), "cublas").orElseThrow().path());

        Path cublas12 = touch("home/.local/lib/python3.11/site-packages/nvidia/cublas/lib/libcublas.so.12");
        Path cudart12 = touch("home/.local/lib/python3.11/site-packages/nvidia/cuda_runtime/lib/libcudart.so.12");
        LibrarySearch user = search(Map.of(), "");
        assertEquals(cublas12, user.find("cublas", List.of(12)).orElseThrow().path());
        assertEquals(cudart12, find(user, "cudart").orElseThrow().path());
    }

    @Test
    void versionedToolkitsAreSearchedNewestFirstAfterUsrLocalCuda() throws IOException {
        touch("usr/local/cuda-12.4/lib64/libcudart.so.12");
        Path newest = touch("usr/local/cuda-12.10/lib64/libcudart.so.12");
        assertEquals(newest, find(search(Map.of(), ""), "cudart").orElseThrow().path(), "12.10 is newer than 12.4");
        Path linked = touch("usr/local/cuda/lib64/libcudart.so.12");
        assertEquals(linked, find(search(Map.of(), ""), "cudart").orElseThrow().path());
    }

    @Test
    void stubLibrariesAreNeverTaken() throws IOException {
        touch("toolkit/lib64/stubs/libcublas.so.13");
        var env = Map.of("LD_LIBRARY_PATH", root.resolve("toolkit/lib64/stubs").toString());
        assertTrue(find(search(env, ""), "cublas").isEmpty());
    }

    @Test
    void nothingFoundIsEmptyAndExistingListsOnlyRealDirectories() throws IOException {
        Files.createDirectories(root.resolve("ld"));
        LibrarySearch search = search(Map.of("LD_LIBRARY_PATH", root.resolve("ld") + ":/nonexistent"), "");
        assertTrue(find(search, "cublas").isEmpty());
        assertEquals(List.of(root.resolve("ld")), search.existing());
    }
}
