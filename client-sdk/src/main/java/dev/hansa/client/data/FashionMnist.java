package dev.hansa.client.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Fashion-MNIST (60,000 training and 10,000 test images of 28x28 pixels, 10 classes) from a directory of IDX files,
 * plain or gzipped. The directory is {@code $HANSA_FASHION_MNIST_DIR}, else the system property
 * {@code hansa.fashion-mnist.dir}, else Debian's {@code dataset-fashion-mnist} package location.
 */
public final class FashionMnist {

    public static final Path DEBIAN_LOCATION = Path.of("/usr/share/datasets/fashion-mnist");
    public static final int CLASSES = 10;

    /** The two splits. */
    public record Splits(Dataset train, Dataset test) {
    }

    private FashionMnist() {
    }

    /** The configured or default directory, if it holds the four files. */
    public static Optional<Path> locate() {
        String configured = System.getenv("HANSA_FASHION_MNIST_DIR");
        if (configured == null) {
            configured = System.getProperty("hansa.fashion-mnist.dir");
        }
        Path dir = configured != null ? Path.of(configured) : DEBIAN_LOCATION;
        return file(dir, "train-images-idx3-ubyte").isPresent() && file(dir, "t10k-labels-idx1-ubyte").isPresent()
                ? Optional.of(dir) : Optional.empty();
    }

    /** Loads both splits from {@link #locate()}, or empty when the data is not installed. */
    public static Optional<Splits> load() {
        return locate().map(FashionMnist::load);
    }

    public static Splits load(Path dir) {
        try {
            return new Splits(split(dir, "train"), split(dir, "t10k"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read Fashion-MNIST from " + dir, e);
        }
    }

    private static Dataset split(Path dir, String prefix) throws IOException {
        Path images = file(dir, prefix + "-images-idx3-ubyte").orElseThrow(() -> missing(dir, prefix + "-images-idx3-ubyte"));
        Path labels = file(dir, prefix + "-labels-idx1-ubyte").orElseThrow(() -> missing(dir, prefix + "-labels-idx1-ubyte"));
        return IdxReader.readImagesAndLabels(images, labels, CLASSES);
    }

    private static Optional<Path> file(Path dir, String name) {
        for (String candidate : new String[] {name, name + ".gz"}) {
            Path p = dir.resolve(candidate);
            if (Files.isRegularFile(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    private static IOException missing(Path dir, String name) {
        return new IOException(dir + " lacks " + name + "[.gz]");
    }
}
