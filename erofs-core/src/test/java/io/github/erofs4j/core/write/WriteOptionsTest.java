package io.github.erofs4j.core.write;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Constructor;
import java.lang.reflect.Modifier;
import java.util.List;
import java.util.OptionalLong;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class WriteOptionsTest {

    @Test
    void noPublicConstructors() {
        for (Class<?> c : List.of(WriteOptions.class, WriteOptions.Builder.class, WriteOptions.OwnerPolicy.class)) {
            for (Constructor<?> k : c.getDeclaredConstructors()) {
                assertFalse(Modifier.isPublic(k.getModifiers()), c + " has a public constructor");
            }
            assertTrue(Modifier.isFinal(c.getModifiers()), c + " is final");
        }
    }

    @Test
    void toBuilderKeepsEveryValue() {
        WriteListener l = e -> { };
        ImageObserver o = b -> { };
        WriteOptions a = WriteOptions.builder().blockSize(1024).buildTime(7).uuid(new UUID(1, 2)).volumeLabel("v")
                .timestamps(WriteOptions.TimestampPolicy.CLAMP).inodeFormat(WriteOptions.InodeFormat.EXTENDED)
                .inlineData(false).superblockChecksum(false).xattrNameFilter(false).xattrShareThreshold(5)
                .dropXattrs(true).xattrPrefixes(List.of("user.x")).chunkSize(4096)
                .chunkFormat(WriteOptions.ChunkFormat.INDEXES).rootXattrSize(40)
                .owners(WriteOptions.OwnerPolicy.KEEP.withForcedUid(3).withGidOffset(9)).workers(3).listener(l)
                .observer(o).build();
        WriteOptions b = a.toBuilder().build();
        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
        assertEquals(1024, b.blockSize());
        assertTrue(b.dropXattrs());
        assertEquals(5, b.xattrShareThreshold());
        assertEquals(OptionalLong.of(3), b.owners().forcedUid());
        assertEquals(OptionalLong.empty(), b.owners().forcedGid());
        assertEquals(9, b.owners().gidOffset());
        assertNotEquals(a, a.toBuilder().dropXattrs(false).build());
        // The builder is a copy: changing it leaves the options alone.
        WriteOptions.Builder builder = a.toBuilder();
        builder.blockSize(4096);
        assertEquals(1024, a.blockSize());
    }

    @Test
    void defaults() {
        WriteOptions d = WriteOptions.defaults();
        assertEquals(4096, d.blockSize());
        assertEquals(0, d.buildTime());
        assertEquals(new UUID(0, 0), d.uuid());
        assertEquals(2, d.xattrShareThreshold());
        assertFalse(d.dropXattrs());
        assertEquals(WriteOptions.OwnerPolicy.KEEP, d.owners());
        assertEquals(d, WriteOptions.builder().build());
    }

    @Test
    void badValuesAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> WriteOptions.builder().xattrShareThreshold(-1).build());
        assertThrows(IllegalArgumentException.class, () -> WriteOptions.builder().blockSize(3000).build());
        assertThrows(IllegalArgumentException.class, () -> WriteOptions.builder().chunkSize(1024).build());
        assertThrows(IllegalArgumentException.class, () -> WriteOptions.builder().rootXattrSize(12).build());
        assertThrows(IllegalArgumentException.class, () -> WriteOptions.builder().workers(0).build());
        assertThrows(IllegalArgumentException.class,
                () -> WriteOptions.builder().volumeLabel("0123456789abcdef").build());
        assertThrows(IllegalArgumentException.class, () -> WriteOptions.OwnerPolicy.KEEP.withForcedUid(-1));
        assertThrows(NullPointerException.class, () -> WriteOptions.builder().uuid(null).build());
    }

    @Test
    void ownerPolicyOrder() {
        WriteOptions.OwnerPolicy p = WriteOptions.OwnerPolicy.KEEP.withForcedGid(10).withUidOffset(100)
                .withGidOffset(1);
        assertEquals(105, p.uid(5));
        assertEquals(11, p.gid(5));
        assertEquals(5, WriteOptions.OwnerPolicy.KEEP.uid(5));
    }
}
