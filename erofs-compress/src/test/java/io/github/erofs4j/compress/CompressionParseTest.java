package io.github.erofs4j.compress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.erofs4j.core.write.Compression;
import org.junit.jupiter.api.Test;

/** The {@code -z} spelling shared by {@code erofs mkfs} and {@code erofs initramfs}. */
class CompressionParseTest {
    @Test
    void namesAndLevels() {
        Compression c = Compression.parse("lz4hc").build();
        assertEquals("lz4hc", c.algorithm());
        assertNull(c.level());
        assertEquals(11, Compression.parse("lz4hc,11").build().level());
        assertEquals(12, Compression.parse("lz4hc,level=12").build().level());
        assertEquals("lz4", Compression.parse("lz4").build().algorithm());
    }

    @Test
    void refusals() {
        assertThrows(IllegalArgumentException.class, () -> Compression.parse("lz4hc,13"));
        assertThrows(IllegalArgumentException.class, () -> Compression.parse("lz4,1"));
        assertThrows(IllegalArgumentException.class, () -> Compression.parse("lz4hc,fast"));
        assertThrows(IllegalArgumentException.class, () -> Compression.parse("nope"));
        assertThrows(IllegalArgumentException.class, () -> Compression.parse("lz4hc:"));
        assertThrows(IllegalArgumentException.class, () -> Compression.parse("lz4hc:nope"));
        assertThrows(IllegalArgumentException.class, () -> Compression.parse("lz4hc:lzma,10"));
        assertThrows(IllegalArgumentException.class, () -> Compression.parse("lzma,10"));
        assertThrows(IllegalArgumentException.class, () -> Compression.parse("lzma,110"));
        assertThrows(IllegalArgumentException.class, () -> Compression.parse("lzma,dictsize=4095"));
        assertThrows(IllegalArgumentException.class, () -> Compression.parse("lzma,dictsize=8388609"));
        assertThrows(IllegalArgumentException.class, () -> Compression.parse("lzma,dictsize=big"));
        assertThrows(IllegalArgumentException.class, () -> Compression.parse("lz4hc,dictsize=65536"));
        assertThrows(IllegalArgumentException.class, () -> Compression.parse("zstd,23"));
        assertThrows(IllegalArgumentException.class, () -> Compression.parse("zstd,level=0"));
        assertThrows(IllegalArgumentException.class, () -> Compression.parse("zstd,level=-1"));
        assertThrows(IllegalArgumentException.class, () -> Compression.parse("zstd,dictsize=3000"));
        assertThrows(IllegalArgumentException.class, () -> Compression.parse("zstd,dictsize=2m"));
        assertThrows(IllegalArgumentException.class, () -> Compression.parse("zstd,dictsize=big"));
        assertThrows(IllegalArgumentException.class, () -> Compression.parse("zstd,level=3,window=5"));
        assertThrows(IllegalArgumentException.class, () -> Compression.parse("zstd,level="));
        assertThrows(IllegalArgumentException.class, () -> Compression.parse("deflate,0"));
        assertThrows(IllegalArgumentException.class, () -> Compression.parse("deflate,10"));
        assertThrows(IllegalArgumentException.class, () -> Compression.parse("deflate,dictsize=16384"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Compression.parse("zstd,level=40"));
        assertEquals("zstd levels are 1 to 22: 40", e.getMessage());
    }

    @Test
    void severalAlgorithmsEachWithItsOwnOptions() {
        Compression c = Compression.parse("lz4hc,12:lzma,level=109,dictsize=65536:zstd").build();
        assertEquals("lz4hc", c.algorithm());
        assertEquals(12, c.level());
        assertEquals(java.util.List.of(new Compression.Algorithm("lz4hc", 12, 0),
                new Compression.Algorithm("lzma", 109, 65536), new Compression.Algorithm("zstd", null, 0)),
                c.algorithms());
        assertEquals(c.algorithms().subList(1, 3), c.alternatives());
        assertEquals(c, c.toBuilder().build());
        assertEquals(java.util.List.of(), Compression.none().algorithms());
    }

    @Test
    void lzmaLevelsAndDictionary() {
        Compression c = Compression.parse("lzma").build();
        assertEquals("lzma", c.algorithm());
        assertNull(c.level());
        assertEquals(0, c.dictSize());
        assertEquals(9, Compression.parse("lzma,9").build().level());
        assertEquals(109, Compression.parse("lzma,level=109").build().level());
        Compression d = Compression.parse("lzma,level=100,dictsize=65536").build();
        assertEquals(100, d.level());
        assertEquals(65536, d.dictSize());
        assertEquals(d, d.toBuilder().build());
    }

    @Test
    void zstdAndDeflate() {
        Compression z = Compression.parse("zstd").build();
        assertEquals("zstd", z.algorithm());
        assertNull(z.level());
        assertEquals(0, z.dictSize());
        assertEquals(19, Compression.parse("zstd,19").build().level());
        Compression w = Compression.parse("zstd,level=15,dictsize=256k").build();
        assertEquals(15, w.level());
        assertEquals(256 << 10, w.dictSize());
        assertEquals(1 << 20, Compression.parse("zstd,dictsize=1m").build().dictSize());
        assertEquals(4096, Compression.parse("zstd,dictsize=4096").build().dictSize());
        assertEquals(9, Compression.parse("deflate,level=9").build().level());
        assertEquals(1, Compression.parse("deflate,1").build().level());
        assertEquals(32768, Compression.parse("deflate,dictsize=32k").build().dictSize());
    }
}
