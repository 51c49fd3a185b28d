package dev.hansa.compute.cuda;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Where to look for the CUDA libraries, in priority order, and the search itself. Pure (no loading), so the order can
 * be tested with fake directory trees:
 * <ol>
 *   <li>the system property {@value #PROPERTY} (directories, path-separated): an explicit choice wins;</li>
 *   <li>{@code $CUDA_HOME} and {@code $CUDA_PATH}: {@code lib64}, {@code lib}, {@code targets/x86_64-linux/lib};</li>
 *   <li>{@code $LD_LIBRARY_PATH};</li>
 *   <li>pip wheels in the active virtualenv or conda env, the user site and the system site-packages:
 *       {@code nvidia/cu13/lib} (CUDA 13 wheels), {@code nvidia/cublas/lib} and {@code nvidia/cuda_runtime/lib}
 *       (CUDA 11/12 wheels);</li>
 *   <li>{@code /usr/local/cuda/lib64}, then {@code /usr/local/cuda-*}{@code /lib64} newest first, then the
 *       distribution's library directories.</li>
 * </ol>
 * A library is taken from the first directory holding any accepted major version (the highest there), so a
 * deliberately set {@code CUDA_HOME} is not overridden by a newer toolkit elsewhere.
 */
public record LibrarySearch(List<Path> directories) {

    public static final String PROPERTY = "hansa.cuda.libraryPath";

    /** A library file found for {@code lib<name>.so.<major>}. */
    public record Found(Path path, int major) {
    }

    /** The standard search for this process: its environment, system properties and the usual install paths. */
    public static LibrarySearch standard() {
        return standard(System.getenv(), System.getProperty(PROPERTY, ""), Path.of(System.getProperty("user.home")),
                Path.of("/usr/local/cuda"), Path.of("/usr/local"),
                List.of(Path.of("/usr/lib/x86_64-linux-gnu"), Path.of("/usr/lib64"), Path.of("/usr/lib")));
    }

    /**
     * The search for the given environment: {@code defaultToolkit} is {@code /usr/local/cuda}, {@code toolkitsRoot}
     * the directory holding {@code cuda-X.Y} toolkits, {@code systemDirs} come last.
     */
    static LibrarySearch standard(Map<String, String> env, String override, Path home, Path defaultToolkit,
                                  Path toolkitsRoot, List<Path> systemDirs) {
        Set<Path> dirs = new LinkedHashSet<>();
        splitPath(override).forEach(dirs::add);
        for (String var : List.of("CUDA_HOME", "CUDA_PATH")) {
            String value = env.get(var);
            if (value != null && !value.isBlank()) {
                dirs.addAll(toolkitDirs(Path.of(value)));
            }
        }
        splitPath(env.getOrDefault("LD_LIBRARY_PATH", "")).forEach(dirs::add);
        for (Path sitePackages : sitePackages(env, home)) {
            for (String sub : List.of("nvidia/cu13/lib", "nvidia/cublas/lib", "nvidia/cuda_runtime/lib")) {
                dirs.add(sitePackages.resolve(sub));
            }
        }
        dirs.addAll(toolkitDirs(defaultToolkit));
        versionedToolkits(toolkitsRoot).forEach(t -> dirs.addAll(toolkitDirs(t)));
        dirs.addAll(systemDirs);
        return new LibrarySearch(List.copyOf(dirs));
    }

    /** The first directory holding {@code lib<name>.so.<major>} for one of {@code majors} (tried in order there). */
    public Optional<Found> find(String name, List<Integer> majors) {
        for (Path dir : directories) {
            for (int major : majors) {
                Path candidate = dir.resolve("lib" + name + ".so." + major);
                if (Files.isRegularFile(candidate) && !dir.toString().contains("/stubs")) {
                    return Optional.of(new Found(candidate.toAbsolutePath(), major));
                }
            }
        }
        return Optional.empty();
    }

    /** The directories that exist, for error messages. */
    public List<Path> existing() {
        return directories.stream().filter(Files::isDirectory).toList();
    }

    private static List<Path> toolkitDirs(Path home) {
        return List.of(home.resolve("lib64"), home.resolve("lib"), home.resolve("targets/x86_64-linux/lib"));
    }

    private static Stream<Path> splitPath(String value) {
        return Stream.of(value.split(java.io.File.pathSeparator)).filter(s -> !s.isBlank()).map(Path::of);
    }

    /** {@code root/cuda-X.Y} directories, newest version first. */
    private static List<Path> versionedToolkits(Path root) {
        try (Stream<Path> children = Files.list(root)) {
            return children.filter(p -> p.getFileName().toString().matches("cuda-\\d+(\\.\\d+)*"))
                    .sorted(Comparator.comparing(LibrarySearch::version).reversed())
                    .toList();
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }

    private static Version version(Path toolkit) {
        String[] parts = toolkit.getFileName().toString().substring("cuda-".length()).split("\\.");
        return new Version(Integer.parseInt(parts[0]), parts.length > 1 ? Integer.parseInt(parts[1]) : 0);
    }

    private record Version(int major, int minor) implements Comparable<Version> {
        @Override
        public int compareTo(Version o) {
            return major != o.major ? Integer.compare(major, o.major) : Integer.compare(minor, o.minor);
        }
    }

    /** site-packages and dist-packages directories of the active Python environments, in priority order. */
    private static List<Path> sitePackages(Map<String, String> env, Path home) {
        List<Path> prefixes = new ArrayList<>();
        for (String var : List.of("VIRTUAL_ENV", "CONDA_PREFIX")) {
            String value = env.get(var);
            if (value != null && !value.isBlank()) {
                prefixes.add(Path.of(value));
            }
        }
        prefixes.add(home.resolve(".local"));
        prefixes.add(Path.of("/usr/local"));
        prefixes.add(Path.of("/usr"));
        prefixes.add(Path.of("/opt/conda"));
        List<Path> result = new ArrayList<>();
        for (Path prefix : prefixes) {
            Path lib = prefix.resolve("lib");
            try (Stream<Path> children = Files.list(lib)) {
                children.filter(p -> p.getFileName().toString().startsWith("python3"))
                        .sorted(Comparator.reverseOrder())
                        .forEach(py -> {
                            result.add(py.resolve("site-packages"));
                            result.add(py.resolve("dist-packages"));
                        });
            } catch (IOException | RuntimeException e) {
                // no Python under this prefix
            }
        }
        return result;
    }
}
