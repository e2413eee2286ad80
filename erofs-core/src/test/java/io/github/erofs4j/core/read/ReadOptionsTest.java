package io.github.erofs4j.core.read;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.erofs4j.core.spi.Decompressors;
import io.github.erofs4j.core.spi.Lz4Decoder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReadOptionsTest {

    @Test
    void defaults() {
        ReadOptions d = ReadOptions.defaults();
        assertEquals(List.of(), d.extraDevices());
        assertTrue(d.verifyChecksum());
        assertEquals(ReadOptions.DEFAULT_CACHE_BYTES, d.cacheBytes());
        assertNull(d.decompressors());
        assertEquals(Lz4Decoder.BUILTIN, d.lz4Decoder());
        assertEquals(64L << 20, d.maxDirectoryBytes());
        assertEquals(1 << 20, d.maxDirectoryEntries());
        assertEquals(65536, d.maxXattrs());
        assertEquals(1L << 20, d.maxXattrBytes());
        assertEquals(ErofsImage.MAX_SYMLINKS, d.maxSymlinks());
        assertEquals(4096, d.maxPathDepth());
        assertEquals(12 << 20, d.maxExtentBytes());
        assertEquals(Long.MAX_VALUE, d.maxDecompressedBytes());
        assertEquals(d, ReadOptions.builder().build());
    }

    @Test
    void toBuilderKeepsEveryValueAndLeavesTheOriginalAlone() {
        List<Path> devices = new ArrayList<>(List.of(Path.of("blob1"), Path.of("blob2")));
        Decompressors none = Decompressors.of(List.of());
        ReadOptions a = ReadOptions.builder().extraDevices(devices).verifyChecksum(false).cacheBytes(0)
                .decompressors(none).lz4Decoder(Lz4Decoder.LZ4_JAVA).build();
        devices.clear();
        assertEquals(List.of(Path.of("blob1"), Path.of("blob2")), a.extraDevices(), "a copy of the list");
        ReadOptions b = a.toBuilder().build();
        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
        assertSame(none, b.decompressors());
        ReadOptions c = a.toBuilder().lz4Decoder(Lz4Decoder.BUILTIN).build();
        assertEquals(Lz4Decoder.LZ4_JAVA, a.lz4Decoder());
        assertEquals(Lz4Decoder.BUILTIN, c.lz4Decoder());
        assertNotEquals(a, c);
        assertEquals(0, c.cacheBytes());
        assertTrue(!c.verifyChecksum());
    }

    @Test
    void rejectsBadValues() {
        assertThrows(IllegalArgumentException.class, () -> ReadOptions.builder().cacheBytes(-1));
        assertThrows(NullPointerException.class, () -> ReadOptions.builder().lz4Decoder(null));
        assertThrows(NullPointerException.class, () -> ReadOptions.builder().extraDevices(null));
    }
}
