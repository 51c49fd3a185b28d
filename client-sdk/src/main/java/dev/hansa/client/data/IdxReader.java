package dev.hansa.client.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * Reads IDX files (the MNIST family's format): a big-endian magic number whose third byte is the element type and
 * fourth the number of dimensions, the dimensions as big-endian ints, then the data. Only unsigned bytes (type 0x08)
 * are supported, which is what image and label files use. Files ending in {@code .gz} are decompressed.
 */
public final class IdxReader {

    private static final int UNSIGNED_BYTE = 0x08;

    /** An IDX array: its dimensions and its unsigned-byte values as ints 0..255 in row-major order. */
    public record IdxArray(int[] dims, byte[] data) {
        public int count() {
            return dims[0];
        }
    }

    private IdxReader() {
    }

    public static IdxArray read(Path path) throws IOException {
        try (InputStream raw = Files.newInputStream(path);
             InputStream in = path.toString().endsWith(".gz")
                     ? new GZIPInputStream(new BufferedInputStream(raw, 1 << 16), 1 << 16)
                     : new BufferedInputStream(raw, 1 << 16);
             DataInputStream data = new DataInputStream(in)) {
            int magic = data.readInt();
            if ((magic >>> 16) != 0 || ((magic >>> 8) & 0xff) != UNSIGNED_BYTE) {
                throw new IOException(path + ": not an unsigned-byte IDX file (magic 0x" + Integer.toHexString(magic) + ")");
            }
            int rank = magic & 0xff;
            if (rank < 1 || rank > 4) {
                throw new IOException(path + ": unsupported IDX rank " + rank);
            }
            int[] dims = new int[rank];
            long total = 1;
            for (int i = 0; i < rank; i++) {
                dims[i] = data.readInt();
                if (dims[i] < 0) {
                    throw new IOException(path + ": negative dimension " + dims[i]);
                }
                total *= dims[i];
                if (total > Integer.MAX_VALUE - 8) {
                    throw new IOException(path + ": too many elements");
                }
            }
            byte[] values = new byte[(int) total];
            try {
                data.readFully(values);
            } catch (EOFException e) {
                throw new IOException(path + ": truncated, expected " + total + " data bytes", e);
            }
            if (data.read() != -1) {
                throw new IOException(path + ": trailing bytes after " + total + " data bytes");
            }
            return new IdxArray(dims, values);
        }
    }

    /**
     * Reads an image file (rank 3: count x rows x cols) and a label file (rank 1) into a dataset with pixels scaled
     * to [0, 1].
     */
    public static Dataset readImagesAndLabels(Path images, Path labels, int numClasses) throws IOException {
        IdxArray img = read(images);
        IdxArray lab = read(labels);
        if (img.dims().length != 3 || lab.dims().length != 1) {
            throw new IOException("expected rank-3 images and rank-1 labels, got ranks " + img.dims().length
                    + " (" + images + ") and " + lab.dims().length + " (" + labels + ")");
        }
        if (img.count() != lab.count()) {
            throw new IOException(images + " holds " + img.count() + " images but " + labels + " holds " + lab.count() + " labels");
        }
        int features = img.dims()[1] * img.dims()[2];
        float[] x = new float[img.data().length];
        for (int i = 0; i < x.length; i++) {
            x[i] = (img.data()[i] & 0xff) / 255f;
        }
        int[] y = new int[lab.count()];
        for (int i = 0; i < y.length; i++) {
            y[i] = lab.data()[i] & 0xff;
        }
        return new Dataset(x, y, features, numClasses);
    }
}
