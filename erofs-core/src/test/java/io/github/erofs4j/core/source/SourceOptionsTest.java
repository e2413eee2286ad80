package io.github.erofs4j.core.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.erofs4j.core.write.WriteEvent;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

class SourceOptionsTest {

    @Test
    void defaults() {
        SourceOptions d = SourceOptions.defaults();
        assertFalse(d.exclude().test("usr/share/doc"));
        assertNull(d.spoolDirectory());
        assertTrue(d.xattrs());
        assertTrue(d.hardlinks());
        assertEquals(Math.max(1, Runtime.getRuntime().availableProcessors()), d.workers());
    }

    @Test
    void toBuilderKeepsEveryValueAndLeavesTheOriginalAlone() {
        Predicate<String> exclude = p -> p.startsWith("var/");
        List<WriteEvent.Warning> seen = new ArrayList<>();
        Consumer<WriteEvent.Warning> warnings = seen::add;
        SourceOptions a = SourceOptions.builder().exclude(exclude).warnings(warnings).spoolDirectory(Path.of("/spool"))
                .xattrs(false).hardlinks(false).workers(3).build();
        SourceOptions b = a.toBuilder().workers(1).build();
        assertSame(exclude, b.exclude());
        assertSame(warnings, b.warnings());
        assertEquals(Path.of("/spool"), b.spoolDirectory());
        assertFalse(b.xattrs());
        assertFalse(b.hardlinks());
        assertEquals(1, b.workers());
        assertEquals(3, a.workers());
        b.warn("x", "dropped");
        assertEquals(List.of(new WriteEvent.Warning("x", "dropped")), seen);
    }

    @Test
    void rejectsBadValues() {
        assertThrows(IllegalArgumentException.class, () -> SourceOptions.builder().workers(0));
        assertThrows(NullPointerException.class, () -> SourceOptions.builder().exclude(null));
        assertThrows(NullPointerException.class, () -> SourceOptions.builder().warnings(null));
    }
}
