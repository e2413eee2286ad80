package io.github.erofs4j.core.write;

import io.github.erofs4j.core.format.Erofs;
import io.github.erofs4j.core.format.SuperBlock;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Writes a whole uncompressed, unchunked image into a new file with positional writes, in jobs of consecutive
 * pieces shared out among the calling thread and the pool's threads. Every byte has its place from the layout,
 * so the order of the writes does not matter and the bytes are those of the sequential order.
 *
 * <p>Two phases: first the metadata area, each inode with its inline data (the tail of a file smaller than a
 * block is read right into the area; the tail of a larger file is left as zeros), then the data area, each file
 * read once, whole, into a per-thread direct buffer: its blocks go to the data area and its inline tail over the
 * zeros left for it. No file content is held beyond the job that reads it, and file bytes pass through user space
 * at most once. Where it can, the kernel copies a file's blocks from the source file to the image itself
 * ({@link KernelCopier}), and only the inline tail is read; otherwise large files are copied by the kernel with
 * {@code transferTo}. Last, the superblock checksum, over block 0 as written.
 */
final class PositionalEmitter {
    /** Metadata bytes per job, about. */
    private static final int META_JOB_BYTES = 256 << 10;
    /** Data bytes per job, about, and most inodes per job. */
    private static final long DATA_JOB_BYTES = 2L << 20;
    private static final int JOB_INODES = 256;
    /** Per-thread buffer; files with up to this many bytes to read are read whole with one call. */
    private static final int BUF = 1 << 20;
    /** Block parts of this size or more, from a file channel, are copied by the kernel. */
    private static final long TRANSFER_MIN = 1L << 20;
    private static final ByteBuffer ZEROS = ByteBuffer.allocateDirect(64 << 10);

    private final FileChannel out;
    /** The image file's path, for kernel copies into it; null when unknown. */
    private final Path outFile;
    private final long start;
    private final MetadataLayout layout;
    private final MetadataWriter metadata;
    private final List<InodePlan> inodes;
    private final int bs;
    private final int bits;
    private final long imageBytes;
    private final boolean checksum;
    private final WriteListener listener;
    /** Guards the output channel's position, which only kernel copies use. */
    private final Object transferLock = new Object();
    private final AtomicLong written = new AtomicLong();
    private final ThreadLocal<ByteBuffer> buffers = ThreadLocal.withInitial(
            () -> ByteBuffer.allocateDirect(BUF));
    /** Copies in the kernel while {@link #emit} runs; null when they cannot be made. */
    private KernelCopier kernel;

    /**
     * {@code out} is a new, empty file's channel positioned at {@code start}; it is left at the image's end.
     * {@code outFile} names that file, or is null.
     */
    PositionalEmitter(FileChannel out, Path outFile, long start, MetadataLayout layout, MetadataWriter metadata,
            List<InodePlan> inodes, WriteOptions opt, long imageBytes) {
        this.out = out;
        this.outFile = outFile;
        this.start = start;
        this.layout = layout;
        this.metadata = metadata;
        this.inodes = inodes;
        this.bs = opt.blockSize();
        this.bits = opt.blockBits();
        this.imageBytes = imageBytes;
        this.checksum = opt.superblockChecksum();
        this.listener = opt.listener();
    }

    /** Whether this emitter can write these inodes: every plan flat (no compressed or chunk-based file). */
    static boolean handles(List<InodePlan> inodes) {
        for (InodePlan p : inodes) {
            if (!(p.data instanceof FlatData)) {
                return false;
            }
        }
        return true;
    }

    /** A piece of work: writes its part of the image. */
    private interface Job {
        void run() throws IOException;
    }

    void emit(ExecutorService pool, int threads) throws IOException {
        run(metadataJobs(), pool, threads);
        try (KernelCopier k = KernelCopier.open(outFile)) {
            kernel = k;
            run(dataJobs(), pool, threads);
        } finally {
            kernel = null;
        }
        long end = start + imageBytes;
        long size = out.size();
        if (size < end) {
            // The last block's end, after a tail that does not fill it.
            zeros(size, end - size);
        }
        if (checksum) {
            int csumEnd = Erofs.SUPERBLOCK_OFFSET + SuperBlock.checksumLength(bs);
            byte[] head = new byte[csumEnd];
            readFully(out, ByteBuffer.wrap(head), start);
            long crc = SuperBlock.checksum(head, csumEnd - Erofs.SUPERBLOCK_OFFSET);
            ByteBuffer b = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(0, (int) crc);
            writeFully(b, start + Erofs.SUPERBLOCK_OFFSET + SuperBlock.CHECKSUM_OFFSET);
        }
        out.position(end);
        listener.onEvent(new WriteEvent.Progress(imageBytes, imageBytes));
    }

    /**
     * Runs jobs on this thread and {@code threads - 1} of the pool's, each taking the next job not taken; this
     * thread reports progress. Returns once every job is done; the first failure stops the others.
     */
    private void run(List<Job> jobs, ExecutorService pool, int threads) throws IOException {
        AtomicInteger next = new AtomicInteger();
        AtomicBoolean failed = new AtomicBoolean();
        List<Future<Void>> helpers = new ArrayList<>();
        int extra = pool == null ? 0 : Math.min(threads - 1, jobs.size() - 1);
        for (int i = 0; i < extra; i++) {
            helpers.add(pool.submit(() -> {
                work(jobs, next, failed, false);
                return null;
            }));
        }
        boolean done = false;
        try {
            work(jobs, next, failed, true);
            done = true;
        } finally {
            // Every helper has stopped writing before this returns or throws (a failed build deletes the file).
            IOException first = null;
            for (Future<Void> f : helpers) {
                try {
                    Prefetcher.await(f, "image writer");
                } catch (IOException e) {
                    if (first == null) {
                        first = e;
                    }
                }
            }
            if (done && first != null) {
                throw first;
            }
        }
    }

    private void work(List<Job> jobs, AtomicInteger next, AtomicBoolean failed, boolean report) throws IOException {
        long reported = 0;
        try {
            for (int i = next.getAndIncrement(); i < jobs.size() && !failed.get(); i = next.getAndIncrement()) {
                jobs.get(i).run();
                if (report) {
                    long w = written.get();
                    if (w - reported >= 8L << 20) {
                        listener.onEvent(new WriteEvent.Progress(w, imageBytes));
                        reported = w;
                    }
                }
            }
        } catch (IOException | RuntimeException | Error e) {
            failed.set(true);
            throw e;
        }
    }

    // ---- metadata ----

    private List<Job> metadataJobs() {
        List<MetadataLayout.Item> items = layout.items();
        long areaEnd = layout.blocks() * bs;
        List<Job> jobs = new ArrayList<>();
        int i = 0;
        long from = 0;
        while (i < items.size()) {
            int j = i + 1;
            while (j < items.size() && items.get(j).offset() - from < META_JOB_BYTES && j - i < JOB_INODES) {
                j++;
            }
            long to = j < items.size() ? items.get(j).offset() : areaEnd;
            List<MetadataLayout.Item> part = items.subList(i, j);
            long f = from;
            jobs.add(() -> writeMetadata(part, f, to));
            i = j;
            from = to;
        }
        return jobs;
    }

    /** Bytes {@code [from, to)} of the metadata area: these items, zeros around them. */
    private void writeMetadata(List<MetadataLayout.Item> items, long from, long to) throws IOException {
        int span = (int) (to - from);
        ByteBuffer b = span <= BUF ? buffers.get() : ByteBuffer.allocateDirect(span);
        b.clear();
        for (MetadataLayout.Item it : items) {
            putZeros(b, (int) (it.offset() - from));
            switch (it.kind()) {
                case SUPERBLOCK, PREFIXES, SHARED_XATTRS -> b.put(metadata.fixedPart(it.kind()));
                case INODE -> {
                    InodePlan p = it.inode();
                    b.put(metadata.encodeHead(p));
                    int inline = p.data.inlineBytes();
                    if (inline == 0) {
                        // Nothing after the inode.
                    } else if (!MetadataWriter.inlinesContent(p)) {
                        b.put(metadata.inlineOf(p), InodeEncoder.inlineFrom(p), inline);
                    } else if (((FlatData) p.data).fullBlocks == 0) {
                        // A file smaller than a block: all of it is the inline tail, read in place.
                        FileContent c = p.node.content();
                        try (ReadableByteChannel ch = c.open(0)) {
                            ImageOutput.readFully(ch, b.limit(b.position() + inline), c);
                        }
                        b.limit(b.capacity());
                    } else {
                        // Written with the file's blocks.
                        putZeros(b, b.position() + inline);
                    }
                }
            }
        }
        putZeros(b, span);
        b.flip();
        writeFully(b, start + from);
        written.addAndGet(span);
    }

    private static void putZeros(ByteBuffer b, int to) {
        while (b.position() < to) {
            b.put(ZEROS.duplicate().limit(Math.min(ZEROS.capacity(), to - b.position())));
        }
    }

    // ---- data ----

    private List<Job> dataJobs() {
        List<Job> jobs = new ArrayList<>();
        List<InodePlan> part = new ArrayList<>();
        long bytes = 0;
        for (InodePlan p : inodes) {
            FlatData f = (FlatData) p.data;
            if (f.dataBlocks == 0) {
                continue;
            }
            part.add(p);
            bytes += f.dataBlocks << bits;
            if (bytes >= DATA_JOB_BYTES || part.size() >= JOB_INODES) {
                List<InodePlan> job = part;
                jobs.add(() -> writeData(job));
                part = new ArrayList<>();
                bytes = 0;
            }
        }
        if (!part.isEmpty()) {
            List<InodePlan> job = part;
            jobs.add(() -> writeData(job));
        }
        return jobs;
    }

    private void writeData(List<InodePlan> job) throws IOException {
        for (InodePlan p : job) {
            FlatData f = (FlatData) p.data;
            long at = start + (f.startBlk << bits);
            long len = f.blockBytes(p.size, bits);
            switch (p.type) {
                case DIRECTORY -> writeFully(ByteBuffer.wrap(DirectoryEncoder.encode(p, bs), 0, (int) len), at);
                case SYMLINK -> writeFully(ByteBuffer.wrap(p.node.symlinkTargetRaw(), 0, (int) len), at);
                default -> copyFile(p, f, at, len);
            }
            written.addAndGet(f.dataBlocks << bits);
        }
    }

    /** A regular file's blocks to {@code at}, and its inline tail, if any, to its place after the inode. */
    private void copyFile(InodePlan p, FlatData f, long at, long len) throws IOException {
        FileContent c = p.node.content();
        int tail = f.inlineBytes();
        long tailAt = start + p.offset + p.metaSize();
        ByteBuffer b = buffers.get();
        if (kernel != null && kernel.copy(c, len, at, b.clear().limit(tail))) {
            if (tail > 0) {
                writeFully(b.flip(), tailAt);
            }
            return;
        }
        try (ReadableByteChannel ch = c.open(0)) {
            if (len + tail <= BUF) {
                b.clear().limit((int) (len + tail));
                ImageOutput.readFully(ch, b, c);
                b.flip().limit((int) len);
                writeFully(b, at);
                if (tail > 0) {
                    b.limit((int) len + tail).position((int) len);
                    writeFully(b, tailAt);
                }
                return;
            }
            if (len >= TRANSFER_MIN && ch instanceof FileChannel src) {
                transfer(src, len, at, c);
                if (tail > 0) {
                    b.clear().limit(tail);
                    readFully(src, b, len, c);
                    b.flip();
                    writeFully(b, tailAt);
                }
                return;
            }
            for (long done = 0; done < len + tail; ) {
                long left = (done < len ? len : len + tail) - done;
                b.clear().limit((int) Math.min(BUF, left));
                ImageOutput.readFully(ch, b, c);
                b.flip();
                writeFully(b, done < len ? at + done : tailAt);
                done += b.limit();
            }
        }
    }

    /** Copies bytes {@code [0, len)} of a file to {@code at} with the kernel's copy. */
    private void transfer(FileChannel src, long len, long at, FileContent c) throws IOException {
        synchronized (transferLock) {
            out.position(at);
            long done = 0;
            while (done < len) {
                long n;
                try {
                    n = src.transferTo(done, len - done, out);
                } catch (IOException e) {
                    // Mostly the source's read error; the image's own write errors would show the same way.
                    throw ImageOutput.named(c, e);
                }
                if (n <= 0) {
                    if (src.size() < len) {
                        throw ImageOutput.shrank(c);
                    }
                    throw new IOException(c.describe() + ": copy made no progress");
                }
                done += n;
            }
        }
    }

    private static void readFully(FileChannel src, ByteBuffer b, long at, FileContent c) throws IOException {
        while (b.hasRemaining()) {
            int n;
            try {
                n = src.read(b, at);
            } catch (IOException e) {
                throw ImageOutput.named(c, e);
            }
            if (n < 0) {
                throw ImageOutput.shrank(c);
            }
            at += n;
        }
    }

    private static void readFully(FileChannel src, ByteBuffer b, long at) throws IOException {
        while (b.hasRemaining()) {
            int n = src.read(b, at);
            if (n < 0) {
                throw new IOException("image shorter than written");
            }
            at += n;
        }
    }

    private void writeFully(ByteBuffer b, long at) throws IOException {
        while (b.hasRemaining()) {
            at += out.write(b, at);
        }
    }

    private void zeros(long at, long n) throws IOException {
        while (n > 0) {
            int k = (int) Math.min(ZEROS.capacity(), n);
            writeFully(ZEROS.duplicate().limit(k), at);
            at += k;
            n -= k;
        }
    }
}
