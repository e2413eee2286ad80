package io.github.erofs4j.core.write;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The {@code --compress-hints} file format, as mkfs.erofs reads it. */
class CompressHintsTest {
    @Test
    void sizesIndexesAndPatterns() {
        CompressHints h = CompressHints.parse("""
                # comment
                4096 1 ^usr/lib/.*\\.so$

                16384\tbin/
                0 2 a pattern with spaces
                65536 \\.txt$""");
        assertEquals(List.of(new CompressHints.Rule(4096, 1, "^usr/lib/.*\\.so$", 2),
                new CompressHints.Rule(16384, 0, "bin/", 4),
                new CompressHints.Rule(0, 2, "a pattern with spaces", 5),
                new CompressHints.Rule(65536, 0, "\\.txt$", 6)), h.rules());
        assertEquals(4096, h.match("usr/lib/libc.so").pclusterSize());
        assertEquals(16384, h.match("usr/bin/ls").pclusterSize(), "found anywhere in the path, as regexec");
        assertEquals(0, h.match("x/a pattern with spaces/y").pclusterSize());
        assertEquals(65536, h.match("usr/lib/notes.txt").pclusterSize());
        assertNull(h.match("etc/passwd"));
        assertEquals(h, CompressHints.of(h.rules()));
    }

    @Test
    void firstMatchWins() {
        CompressHints h = CompressHints.parse("8192 a\n4096 1 .*\n");
        assertEquals(8192, h.match("abc").pclusterSize());
        assertEquals(1, h.match("xyz").algorithm());
    }

    @Test
    void refusalsNameTheLine() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CompressHints.parse("4096 a\nbig x\n"));
        assertTrue(e.getMessage().startsWith("line 2: pcluster size"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> CompressHints.parse("4096 one x\n"));
        assertTrue(e.getMessage().startsWith("line 1: algorithm index"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> CompressHints.parse("\n4096\n"));
        assertTrue(e.getMessage().startsWith("line 2: no pattern"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> CompressHints.parse("4096 1 (\n"));
        assertTrue(e.getMessage().startsWith("line 1: invalid regular expression"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> CompressHints.parse("2097152 x\n"));
        assertThrows(IllegalArgumentException.class, () -> CompressHints.parse("-4096 x\n"));
    }
}
