package io.github.erofs4j.core.read;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.erofs4j.core.ErofsFormatException;
import io.github.erofs4j.core.testing.Fixtures;
import io.github.erofs4j.core.testing.Manifests;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Images opened from byte sources: in memory, over a channel, and sources that claim fewer bytes than they hold. */
class ByteSourceTest {

    static Stream<String> uncompressed() {
        return Fixtures.UNCOMPRESSED.stream();
    }

    /** A source that reports {@code size} bytes and remembers the furthest byte it was asked for. */
    private static final class ShortSource implements ByteSource {
        private final ByteSource whole;
        private final long size;
        final AtomicLong furthest = new AtomicLong(-1);

        ShortSource(byte[] bytes, long size) {
            this.whole = ByteSource.of(bytes);
            this.size = size;
        }

        @Override
        public long size() {
            return size;
        }

        @Override
        public int read(long position, ByteBuffer dst) throws IOException {
            // Hands out the real bytes even past the reported size: the reader must not ask for them.
            furthest.accumulateAndGet(position + dst.remaining() - 1, Math::max);
            return whole.read(position, dst);
        }
    }

    @ParameterizedTest
    @MethodSource("uncompressed")
    void fromMemoryReadsAsFromTheFile(String name) throws IOException {
        byte[] bytes = Files.readAllBytes(Fixtures.image(name));
        List<String> fromFile;
        try (ErofsImage img = ErofsImage.open(Fixtures.image(name))) {
            fromFile = Manifests.of(img, true);
        }
        assertEquals(Fixtures.manifest(name), fromFile);
        try (ErofsImage img = ErofsImage.open(ByteSource.of(bytes), ReadOptions.defaults())) {
            assertNull(img.path());
            assertEquals(bytes.length, img.imageSize());
            assertEquals(fromFile, Manifests.of(img, true));
        }
        // A direct buffer, with the image not at index 0 of it.
        ByteBuffer direct = ByteBuffer.allocateDirect(bytes.length + 100);
        direct.position(100);
        direct.put(bytes);
        direct.position(100);
        try (ErofsImage img = ErofsImage.open(ByteSource.of(direct), ReadOptions.defaults())) {
            assertEquals(fromFile, Manifests.of(img, true));
        }
    }

    @Test
    void overAChannelTheCallerKeepsIt() throws IOException {
        try (FileChannel ch = FileChannel.open(Fixtures.image("plain"), StandardOpenOption.READ)) {
            ByteSource src = ByteSource.of(ch, false);
            try (ErofsImage img = ErofsImage.open(src, ReadOptions.defaults())) {
                assertEquals(Fixtures.manifest("plain"), Manifests.of(img, true));
            }
            assertTrue(ch.isOpen(), "closing the image leaves the caller's source open");
            src.close();
            assertTrue(ch.isOpen(), "a source made with closeChannel false leaves the channel open");
        }
        FileChannel ch = FileChannel.open(Fixtures.image("plain"), StandardOpenOption.READ);
        ByteSource.of(ch, true).close();
        assertFalse(ch.isOpen());
    }

    @Test
    void memorySourceReadsShortAtTheEnd() throws IOException {
        ByteSource s = ByteSource.of(new byte[] {1, 2, 3, 4, 5});
        ByteBuffer dst = ByteBuffer.allocate(4);
        assertEquals(2, s.read(3, dst));
        assertArrayEquals(new byte[] {4, 5, 0, 0}, dst.array());
        assertEquals(-1, s.read(5, ByteBuffer.allocate(1)));
        assertEquals(5, s.size());
    }

    @Test
    void aShortSizeBeforeTheSuperblockEndIsTruncated() throws IOException {
        byte[] bytes = Files.readAllBytes(Fixtures.image("plain"));
        ShortSource src = new ShortSource(bytes, 1100);
        ErofsFormatException e = assertThrows(ErofsFormatException.class,
                () -> ErofsImage.open(src, ReadOptions.defaults()).close());
        assertEquals(ErofsFormatException.Kind.TRUNCATED, e.kind());
        assertTrue(src.furthest.get() < 1100);
    }

    /**
     * Reported sizes cut each fixture: whatever is read lies below the reported size, and everything that needs
     * the missing bytes is reported as truncated (never as some other error).
     */
    @ParameterizedTest
    @MethodSource("uncompressed")
    void aShortSizeYieldsTruncatedErrors(String name) throws IOException {
        byte[] bytes = Files.readAllBytes(Fixtures.image(name));
        int blocks = bytes.length / 4096;
        AtomicBoolean sawTruncation = new AtomicBoolean();
        for (long size : new long[] {4096, bytes.length / 2, (long) (blocks - 1) * 4096, bytes.length - 1}) {
            ShortSource src = new ShortSource(bytes, size);
            try (ErofsImage img = ErofsImage.open(src, ReadOptions.defaults())) {
                Manifests.of(img, true);
            } catch (ErofsFormatException e) {
                assertEquals(ErofsFormatException.Kind.TRUNCATED, e.kind(), name + " cut to " + size + ": " + e);
                sawTruncation.set(true);
            }
            assertTrue(src.furthest.get() < size, name + " cut to " + size + ": read up to " + src.furthest.get());
        }
        assertTrue(sawTruncation.get(), name + ": no cut was noticed");
    }

    @Test
    void extraDevicesAsSourcesNeedTheRightCount() throws IOException {
        byte[] bytes = Files.readAllBytes(Fixtures.image("plain"));
        IOException e = assertThrows(IOException.class, () -> ErofsImage.open(ByteSource.of(bytes),
                List.of(ByteSource.of(new byte[4096])), ReadOptions.defaults()).close());
        assertFalse(e instanceof ErofsFormatException);
        assertThrows(IllegalArgumentException.class, () -> ErofsImage.open(ByteSource.of(bytes),
                List.of(ByteSource.of(new byte[4096])),
                ReadOptions.builder().extraDevices(List.of(Fixtures.image("plain"))).build()));
        try (ErofsImage img = ErofsImage.open(ByteSource.of(bytes), List.of(), ReadOptions.defaults())) {
            assertEquals(Fixtures.manifest("plain"), Manifests.of(img, true));
        }
    }
}
