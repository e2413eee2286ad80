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
        assertThrows(IllegalArgumentException.class, () -> Compression.parse("lz4hc:lz4"));
    }
}
