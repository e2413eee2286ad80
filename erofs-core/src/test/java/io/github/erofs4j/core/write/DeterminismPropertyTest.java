package io.github.erofs4j.core.write;

import io.github.erofs4j.core.testing.RandomTrees;
import io.github.erofs4j.core.testing.KernelTools;

import io.github.erofs4j.core.FileType;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.constraints.IntRange;

/**
 * The same tree added in a shuffled order, and written with one worker or many, gives identical
 * bytes; so does writing to a channel instead of a file, and the observer sees exactly those bytes.
 */
class DeterminismPropertyTest {

    @Property(tries = 40, shrinking = ShrinkingMode.OFF)
    void sameBytesWhateverTheOrderAndWorkers(@ForAll long seed, @ForAll @IntRange(min = 0, max = 3) int bsPick,
            @ForAll @IntRange(min = 0, max = 2) int chunked) throws IOException {
        int bs = 512 << bsPick;
        FsTree tree = RandomTrees.generate(seed, new RandomTrees.Shape(80, seed % 4 == 0, bs, true));
        FsTree shuffled = RandomTrees.shuffled(tree, new Random(seed ^ 0x5DEECE66DL));
        WriteOptions.Builder b = WriteOptions.builder().blockSize(bs).buildTime(1_600_000_000L);
        if (chunked > 0) {
            b.chunkSize(bs).chunkFormat(chunked == 1 ? WriteOptions.ChunkFormat.BLOCK_MAP
                    : WriteOptions.ChunkFormat.INDEXES).rootXattrSize(100);
        }
        byte[] one = write(tree, b.workers(1).build());
        ByteArrayOutputStream seen = new ByteArrayOutputStream();
        byte[] many = write(shuffled, b.workers(4).observer(buf -> {
            byte[] x = new byte[buf.remaining()];
            buf.get(x);
            seen.write(x, 0, x.length);
        }).build());
        assertArrayEquals(one, many, "shuffled order and 4 workers");
        assertArrayEquals(one, seen.toByteArray(), "observer sees the image");
        MemoryChannel ch = new MemoryChannel();
        ErofsWriter.write(tree, ch, b.workers(2).observer(null).build());
        assertArrayEquals(one, ch.bytes(), "channel output");
        assertEquals(0, one.length % bs);
    }

    private static byte[] write(FsTree tree, WriteOptions opt) throws IOException {
        Path dir = Files.createTempDirectory("erofs4j-det");
        try {
            Path img = dir.resolve("x.erofs");
            ErofsWriter.write(tree, img, opt);
            return Files.readAllBytes(img);
        } finally {
            KernelTools.deleteTree(dir);
        }
    }

    /** A growable in-memory channel. */
    static final class MemoryChannel implements SeekableByteChannel {
        private byte[] data = new byte[0];
        private int pos;
        private int size;

        byte[] bytes() {
            return java.util.Arrays.copyOf(data, size);
        }

        @Override
        public int read(ByteBuffer dst) {
            throw new UnsupportedOperationException();
        }

        @Override
        public int write(ByteBuffer src) {
            int n = src.remaining();
            if (pos + n > data.length) {
                data = java.util.Arrays.copyOf(data, Math.max(pos + n, data.length * 2));
            }
            src.get(data, pos, n);
            pos += n;
            size = Math.max(size, pos);
            return n;
        }

        @Override
        public long position() {
            return pos;
        }

        @Override
        public SeekableByteChannel position(long p) {
            pos = (int) p;
            return this;
        }

        @Override
        public long size() {
            return size;
        }

        @Override
        public SeekableByteChannel truncate(long s) {
            size = (int) Math.min(size, s);
            return this;
        }

        @Override
        public boolean isOpen() {
            return true;
        }

        @Override
        public void close() {
        }
    }
}
