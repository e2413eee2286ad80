package io.github.erofs4j.core.write;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The packed inode's content while files are compressed ({@code -E fragments}): the tails of files (and with
 * {@code -E all-fragments} whole files) appended in file order to a spool file, and an index of them by their last
 * 64 bytes, so that a later file ending with the same bytes as an earlier fragment refers to that fragment's bytes
 * instead of storing them again, as mkfs.erofs does: the longest common suffix wins, the earliest fragment among
 * equals.
 *
 * <p>Only the last 256 KiB of each fragment are kept in memory; longer matches are confirmed against the source
 * files. Not thread-safe: used in file order by one thread. {@link #close()} deletes the spool.
 */
final class FragmentTable implements Closeable {
    /** Fragments are indexed by this many last bytes; shorter ones are not indexed. */
    static final int KEY_BYTES = 64;
    /** The bytes of a fragment (or of a file's end) compared in memory. */
    static final int WINDOW = 256 << 10;
    private static final int CHUNK = 1 << 20;

    /** One indexed fragment: its last bytes, its length, where its bytes came from and where they end. */
    static final class Item {
        final byte[] tail;
        final long length;
        final FileContent content;
        final long contentOffset;
        final long packedEnd;

        Item(byte[] tail, long length, FileContent content, long contentOffset, long packedEnd) {
            this.tail = tail;
            this.length = length;
            this.content = content;
            this.contentOffset = contentOffset;
            this.packedEnd = packedEnd;
        }
    }

    /** The result of {@link #find}: {@code length} bytes at the end of {@code item}'s bytes. */
    record Match(Item item, long length) {}

    private final Path path;
    private final FileChannel spool;
    private final Map<ByteKey, List<Item>> byKey = new HashMap<>();
    private long size;

    FragmentTable(Path directory) throws IOException {
        this.path = Files.createTempFile(directory, ".erofs4j-", ".packed");
        this.spool = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
    }

    /** Bytes of the packed inode so far. */
    long size() {
        return size;
    }

    /** The packed inode's content (valid until this table is closed). */
    FileContent content() {
        return FileContent.of(path, 0, size, "packed inode");
    }

    /**
     * The longest suffix of a file's bytes, at most {@code limit}, that ends an earlier fragment; null when none.
     *
     * @param end the last {@code min(limit, WINDOW)} bytes of the file (at least {@link #KEY_BYTES}, else no match)
     * @param content the file, read when a match is longer than {@code end}
     * @param fileSize the file's size
     */
    Match find(byte[] end, long limit, FileContent content, long fileSize) throws IOException {
        if (end.length <= KEY_BYTES || fileSize <= KEY_BYTES) {
            return null;
        }
        List<Item> items = byKey.get(key(end, end.length));
        if (items == null) {
            return null;
        }
        Item best = null;
        long bestLen = 0;
        for (Item it : items) {
            long max = Math.min(it.length, limit);
            int n = Math.min(end.length, it.tail.length);
            long same = commonSuffix(end, end.length, it.tail, it.tail.length, n);
            if (same == n && same < max) {
                same = longMatch(content, fileSize, it, same, max);
            }
            same = Math.min(same, max);
            if (same > bestLen) {
                best = it;
                bestLen = same;
                if (bestLen == limit) {
                    break;
                }
            }
        }
        return best == null ? null : new Match(best, bestLen);
    }

    /** Where a fragment matched by {@code m} (possibly shortened to {@code length}) starts in the packed inode. */
    static long offsetOf(Match m, long length) {
        return m.item().packedEnd - length;
    }

    /**
     * Appends a new fragment, the last {@code bytes.length} bytes of a file, and indexes it. Returns its offset in
     * the packed inode.
     */
    long add(byte[] bytes, FileContent content, long fileSize) throws IOException {
        long at = append(bytes);
        index(bytes.length <= WINDOW ? bytes : Arrays.copyOfRange(bytes, bytes.length - WINDOW, bytes.length),
                bytes.length, content, fileSize - bytes.length);
        return at;
    }

    /**
     * Appends bytes that no later file is compared with (a directory's content), without indexing them. Returns
     * their offset.
     */
    long append(byte[] bytes) throws IOException {
        long at = size;
        ByteBuffer b = ByteBuffer.wrap(bytes);
        while (b.hasRemaining()) {
            size += spool.write(b, size);
        }
        return at;
    }

    /** Appends a whole file as a fragment, copying it from its source, and indexes it. Returns its offset. */
    long addWhole(FileContent content, long fileSize) throws IOException {
        long at = size;
        try (ReadableByteChannel ch = content.open(0)) {
            long left = fileSize;
            while (left > 0) {
                long n = spool.transferFrom(ch, size, left);
                if (n <= 0) {
                    throw new IOException(content.describe() + ": file shrank while being read (expected "
                            + fileSize + " bytes)");
                }
                size += n;
                left -= n;
            }
        } catch (IOException e) {
            throw ImageOutput.named(content, e);
        }
        int t = (int) Math.min(fileSize, WINDOW);
        byte[] tail = new byte[t];
        spool.read(ByteBuffer.wrap(tail), size - t);
        index(tail, fileSize, content, 0);
        return at;
    }

    private void index(byte[] tail, long length, FileContent content, long contentOffset) {
        if (length <= KEY_BYTES) {
            return;
        }
        byKey.computeIfAbsent(key(tail, tail.length), k -> new ArrayList<>(1))
                .add(new Item(tail, length, content, contentOffset, size));
    }

    /** The last {@code KEY_BYTES} bytes of a file whose last bytes are {@code end}. */
    private static ByteKey key(byte[] end, int len) {
        return new ByteKey(Arrays.copyOfRange(end, len - KEY_BYTES, len));
    }

    private static int commonSuffix(byte[] a, int aEnd, byte[] b, int bEnd, int max) {
        int i = 0;
        while (i < max && a[aEnd - 1 - i] == b[bEnd - 1 - i]) {
            i++;
        }
        return i;
    }

    /** Extends a match of {@code same} bytes backwards, up to {@code max}, reading both files. */
    private static long longMatch(FileContent content, long fileSize, Item it, long same, long max)
            throws IOException {
        byte[] a = new byte[(int) Math.min(CHUNK, max - same)];
        byte[] b = new byte[a.length];
        while (same < max) {
            int n = (int) Math.min(a.length, max - same);
            readAt(content, fileSize - same - n, a, n);
            readAt(it.content, it.contentOffset + it.length - same - n, b, n);
            int i = commonSuffix(a, n, b, n, n);
            same += i;
            if (i < n) {
                break;
            }
        }
        return same;
    }

    private static void readAt(FileContent c, long pos, byte[] into, int n) throws IOException {
        try (ReadableByteChannel ch = c.open(pos)) {
            ImageOutput.readFully(ch, ByteBuffer.wrap(into, 0, n), c);
        }
    }

    @Override
    public void close() throws IOException {
        spool.close();
        Files.deleteIfExists(path);
    }
}
