package dev.hansa.server.system;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import org.springframework.jdbc.core.SqlTypeValue;

/** Binds large bytea parameters without a copy. */
public final class Blobs {

    private Blobs() {
    }

    /**
     * A parameter that streams {@code bytes} to the driver: the PostgreSQL driver's {@code setBytes} copies the whole
     * array first, which would cost one more model size per upload being stored.
     */
    public static SqlTypeValue streamed(byte[] bytes) {
        return streamed(new ByteArrayInputStream(bytes), bytes.length);
    }

    /** A parameter that streams {@code length} bytes of {@code in} to the driver. */
    public static SqlTypeValue streamed(InputStream in, long length) {
        return (ps, index, sqlType, typeName) -> ps.setBinaryStream(index, in, length);
    }
}
