package io.github.erofs4j.core.read;

import io.github.erofs4j.core.FileType;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.github.erofs4j.core.ErofsFormatException;
import io.github.erofs4j.core.testing.ByteArrayChannel;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.zip.CRC32C;

/**
 * Hostile input: every truncation of each uncompressed fixture at 512-byte steps, and random bit flips with fixed
 * seeds. Each case opens the damaged image, walks the whole tree (attributes, xattrs, lookups of every name,
 * symlinks, extents, all data) and must end either with the right result or with {@link ErofsFormatException}:
 * no other exception, no hang (each case has a deadline), no runaway allocation (this class runs in its own JVM
 * with {@code -Xmx256m}, started by {@link DamageSweepTest}).
 *
 * <p>"Right result" is checkable for truncations, which cannot change what is read: a walk that succeeds must
 * give the digest of the intact image. A bit flip may legitimately change names, attributes or data, so for flips
 * only the kind of outcome is checked.
 */
final class DamageSweep {
    private static final int FLIPS = 300;
    /** Data read per file at most: more than any fixture file, so only corrupt sizes hit it. */
    private static final long READ_CAP = 32L << 20;
    private static final Duration DEADLINE = Duration.ofSeconds(5);

    private DamageSweep() {}

    /** Runs the sweep of one image: {@code DamageSweep NAME IMAGE}; exit status 0 when every case passed. */
    public static void main(String[] args) throws Exception {
        String name = args[0];
        byte[] img = Files.readAllBytes(java.nio.file.Path.of(args[1]));
        try {
            truncations(name, img);
            bitFlips(name, img);
        } catch (Throwable t) {
            t.printStackTrace(System.out);
            System.out.flush();
            System.exit(1);
        }
        System.exit(0);
    }

    static void truncations(String name, byte[] img) throws Exception {
        long reference = walk(img, img.length);
        int ok = 0;
        int failed = 0;
        for (int cut = 0; cut < img.length; cut += 512) {
            int size = cut;
            Outcome o = assertTimeoutPreemptively(DEADLINE, () -> run(img, size, true),
                    () -> name + " cut at " + size);
            if (o.error == null) {
                assertEquals(reference, o.digest, name + " truncated at " + size + " read different data");
                ok++;
            } else {
                failed++;
            }
        }
        assertTrue(failed > 0, name + ": no truncation was detected");
        assertEquals(reference, walk(img, img.length));
        System.out.printf("%s: %d truncations, %d read fully, %d rejected%n", name, ok + failed, ok, failed);
    }

    static void bitFlips(String name, byte[] img) throws Exception {
        long reference = walk(img, img.length);
        Random r = new Random(name.hashCode() * 31L + 7);
        Set<String> kinds = new HashSet<>();
        int rejected = 0;
        int changed = 0;
        List<long[]> meta = metadataRanges(img);
        long metaBytes = 0;
        for (long[] m : meta) {
            metaBytes += m[1];
        }
        for (int i = 0; i < FLIPS; i++) {
            // Two flips in three hit metadata (superblock, inodes, xattr bodies, directory blocks, chunk maps);
            // the rest land anywhere.
            int at;
            if (i % 3 != 0) {
                long k = (long) (r.nextDouble() * metaBytes);
                int j = 0;
                while (k >= meta.get(j)[1]) {
                    k -= meta.get(j)[1];
                    j++;
                }
                at = (int) (meta.get(j)[0] + k);
            } else {
                at = r.nextInt(img.length);
            }
            int bit = 1 << r.nextInt(8);
            img[at] ^= (byte) bit;
            try {
                int pos = at;
                Outcome o = assertTimeoutPreemptively(DEADLINE, () -> run(img, img.length, false),
                        () -> name + " flip at " + pos + " bit " + bit);
                if (o.error != null) {
                    rejected++;
                    changed++;
                    kinds.add(o.error.kind() + " " + o.error.structure().replaceAll("[0-9]+", "#"));
                } else if (o.digest != reference) {
                    changed++;
                }
            } finally {
                img[at] ^= (byte) bit;
            }
        }
        assertEquals(reference, walk(img, img.length), "image restored");
        assertTrue(changed > 0, name + ": no flip changed what was read");
        System.out.printf("%s: %d flips, %d changed what was read, %d rejected (%d kinds of error)%n", name, FLIPS,
                changed, rejected, kinds.size());
    }

    record Outcome(long digest, ErofsFormatException error) {}

    /** Byte ranges {offset, length} of the metadata of the intact image. */
    static List<long[]> metadataRanges(byte[] img) throws IOException {
        List<long[]> out = new java.util.ArrayList<>();
        out.add(new long[] {1024, 128});
        try (ErofsImage image = ErofsImage.open(new ByteArrayChannel(img, img.length), ReadOptions.defaults())) {
            java.util.ArrayDeque<ErofsInode> todo = new java.util.ArrayDeque<>();
            Set<Long> seen = new HashSet<>();
            todo.add(image.root());
            while (!todo.isEmpty()) {
                ErofsInode n = todo.poll();
                if (!seen.add(n.nid())) {
                    continue;
                }
                long end = n.metaEnd();
                if (n.dataLayout() == io.github.erofs4j.core.format.Erofs.LAYOUT_CHUNK_BASED) {
                    end += 8 + 8 * (n.size() / image.blockSize() + 1); // the chunk array, at most
                }
                out.add(new long[] {n.inodeOffset(), Math.min(end, img.length) - n.inodeOffset()});
                if (n.type() == FileType.DIRECTORY) {
                    for (DataExtent e : n.dataExtents()) {
                        if (e.physicalOffset() >= 0) {
                            out.add(new long[] {e.physicalOffset(), e.length()});
                        }
                    }
                    for (DirEntry d : n.children()) {
                        todo.add(image.inode(d.nid()));
                    }
                }
            }
        }
        return out;
    }

    private static Outcome run(byte[] img, int size, boolean verifyChecksum) {
        try {
            return new Outcome(walk(img, size, verifyChecksum), null);
        } catch (ErofsFormatException e) {
            return new Outcome(0, e);
        } catch (Throwable t) {
            fail("not an ErofsFormatException: " + t, t);
            return null;
        }
    }

    static long walk(byte[] img, int size) throws IOException {
        return walk(img, size, true);
    }

    /**
     * Walks everything and returns a CRC32C over what was read. Bit flips run without the superblock checksum, so
     * that flips in block 0 reach the superblock and inode decoders instead of being caught up front.
     */
    static long walk(byte[] img, int size, boolean verifyChecksum) throws IOException {
        CRC32C crc = new CRC32C();
        ReadOptions opts = ReadOptions.builder().verifyChecksum(verifyChecksum).build();
        try (ErofsImage image = ErofsImage.open(new ByteArrayChannel(img, size), opts)) {
            ErofsInode root = image.root();
            Set<Long> seenDirs = new HashSet<>();
            long[] budget = {READ_CAP * 4};
            walkDir(image, root, crc, seenDirs, budget, 0);
        }
        return crc.getValue();
    }

    private static void walkDir(ErofsImage image, ErofsInode dir, CRC32C crc, Set<Long> seen, long[] budget,
            int depth) throws IOException {
        if (!seen.add(dir.nid()) || depth > 100) {
            return; // a damaged image may link a directory twice; visiting it once is enough
        }
        attrs(dir, crc);
        List<DirEntry> entries = dir.entries();
        for (DirEntry e : entries) {
            crc.update(e.rawName());
            Optional<DirEntry> found = dir.lookup(e.rawName());
            crc.update(found.isPresent() ? 1 : 0);
            if (e.isDotOrDotDot()) {
                continue;
            }
            ErofsInode n = image.inode(e.nid());
            switch (n.type()) {
                case DIRECTORY -> walkDir(image, n, crc, seen, budget, depth + 1);
                case REGULAR -> {
                    attrs(n, crc);
                    data(n, crc, budget);
                }
                case SYMLINK -> {
                    attrs(n, crc);
                    crc.update(n.readSymlink());
                }
                default -> attrs(n, crc);
            }
        }
    }

    private static void attrs(ErofsInode n, CRC32C crc) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(n.mode()).putLong(n.uid()).putLong(n.gid()).putLong(n.size()).putLong(n.nlink())
                .putLong(n.mtimeSeconds()).putInt(n.mtimeNanos()).putInt(n.rdevMajor()).putInt(n.rdevMinor());
        crc.update(b.array(), 0, b.position());
        for (Xattr x : n.xattrs()) {
            crc.update(x.name().getBytes(StandardCharsets.UTF_8));
            crc.update(x.value());
        }
    }

    private static void data(ErofsInode n, CRC32C crc, long[] budget) throws IOException {
        List<DataExtent> ext = n.dataExtents();
        long covered = 0;
        for (DataExtent e : ext) {
            assertEquals(covered, e.logicalOffset(), "extents must be contiguous");
            covered += e.length();
        }
        assertEquals(n.size(), covered, "extents must cover the file");
        byte[] buf = new byte[65536];
        long limit = Math.min(n.size(), Math.min(READ_CAP, Math.max(0, budget[0])));
        long pos = 0;
        while (pos < limit) {
            int r = n.read(pos, buf, 0, (int) Math.min(buf.length, limit - pos));
            if (r <= 0) {
                fail("read returned " + r + " before the end of the file");
            }
            crc.update(buf, 0, r);
            pos += r;
        }
        budget[0] -= limit;
    }
}
