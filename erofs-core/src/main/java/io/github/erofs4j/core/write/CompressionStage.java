package io.github.erofs4j.core.write;

import java.io.Closeable;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.function.IntFunction;
import java.util.function.Supplier;

/**
 * Compresses the regular files of an image before its layout is planned: each file is cut into segments that
 * are compressed on the worker threads, and the results are taken in file order, so the output never depends on
 * the number of threads. A file whose compressed form would not take less room than its data (pclusters, inline
 * tail and a full map together) is left to be stored uncompressed, as mkfs.erofs does. The pclusters wait in a
 * spool file until the emission stage copies them to their place in the image.
 *
 * <p>Memory stays bounded: at most about {@link #IN_FLIGHT_BYTES} of input (and as much output) is held at once,
 * whatever the tree. Not thread-safe; {@link #close()} deletes the spool.
 */
final class CompressionStage implements Closeable {
    /** Input bytes compressed ahead of the consumer at most (plus one segment). */
    static final long IN_FLIGHT_BYTES = 48L << 20;
    /** Input bytes between two progress events. */
    private static final long PROGRESS_BYTES = 4L << 20;

    /**
     * The settings shared by every file; {@code pclusterSize} and {@code algorithm} are those of files compressed
     * without a choice of their own.
     */
    record Settings(int blockBits, int pclusterSize, boolean ztailpacking, boolean compact, boolean bigPcluster,
            int algorithm, long maxExtentBytes) {}

    private final Settings settings;
    /** Per thread: one encoder per (codec, pcluster size), those of one codec sharing its compressor. */
    private final ThreadLocal<java.util.Map<ZCodecs.Choice, ZSegmentEncoder>> encoders;
    private final ThreadLocal<java.util.Map<Integer, ZSegmentEncoder.DestSizeCompressor>> compressorsByCodec;
    private final IntFunction<ZSegmentEncoder.DestSizeCompressor> compressors;
    /** Every compressor made (one per thread and codec that compressed), closed with the stage. */
    private final List<ZSegmentEncoder.DestSizeCompressor> made = java.util.Collections.synchronizedList(new ArrayList<>());
    private final ExecutorService pool;
    private final Path spoolPath;
    private final FileChannel spool;
    private long spoolEnd;

    /**
     * @param compressors makes one compressor per thread
     * @param pool the worker threads, or null to compress on the calling thread
     * @param spoolDirectory where the spool file is created
     */
    CompressionStage(Settings settings, Supplier<ZSegmentEncoder.DestSizeCompressor> compressors,
            ExecutorService pool, Path spoolDirectory) throws IOException {
        this(settings, codec -> compressors.get(), pool, spoolDirectory);
    }

    /**
     * @param compressors makes a compressor of the given codec index, one per thread and codec
     * @param pool the worker threads, or null to compress on the calling thread
     * @param spoolDirectory where the spool file is created
     */
    CompressionStage(Settings settings, IntFunction<ZSegmentEncoder.DestSizeCompressor> compressors,
            ExecutorService pool, Path spoolDirectory) throws IOException {
        this.settings = settings;
        this.pool = pool;
        this.compressors = compressors;
        this.encoders = ThreadLocal.withInitial(java.util.HashMap::new);
        this.compressorsByCodec = ThreadLocal.withInitial(java.util.HashMap::new);
        this.spoolPath = Files.createTempFile(spoolDirectory, ".erofs4j-", ".zdata");
        this.spool = FileChannel.open(spoolPath, StandardOpenOption.READ, StandardOpenOption.WRITE,
                StandardOpenOption.DELETE_ON_CLOSE);
    }

    /** One segment to compress: {@code length} bytes of {@code content} from {@code offset}. */
    private record Task(int file, FileContent content, long offset, int length, boolean last,
            ZCodecs.Choice choice) {}

    /**
     * Compresses each of {@code files} (non-empty regular files, in the image's order) with the settings' pcluster
     * size and algorithm and codec 0. Returns, per file, its compressed form, or null where it is to be stored
     * uncompressed.
     */
    List<ZFile> compress(List<FileContent> files, WriteListener listener) throws IOException {
        ZCodecs.Choice c = new ZCodecs.Choice(0, settings.pclusterSize(), settings.algorithm());
        return compress(files, java.util.Collections.nCopies(files.size(), c), listener);
    }

    /**
     * Compresses each of {@code files} (non-empty regular files, in the image's order), each with its own codec
     * and pcluster size. Returns, per file, its compressed form, or null where it is to be stored uncompressed.
     */
    List<ZFile> compress(List<FileContent> files, List<ZCodecs.Choice> choices, WriteListener listener)
            throws IOException {
        List<Task> tasks = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            FileContent c = files.get(i);
            long size = c.size();
            for (long off = 0; off < size; off += ZSegmentEncoder.SEGMENT_SIZE) {
                int len = (int) Math.min(ZSegmentEncoder.SEGMENT_SIZE, size - off);
                tasks.add(new Task(i, c, off, len, off + len == size, choices.get(i)));
            }
        }
        List<ZFile> out = new ArrayList<>(files.size());
        long totalBytes = 0;
        for (FileContent c : files) {
            totalBytes += c.size();
        }
        long doneBytes = 0;
        long reported = 0;
        ArrayDeque<Future<ZSegmentEncoder.Segment>> inFlight = new ArrayDeque<>();
        ArrayDeque<Task> inFlightTasks = new ArrayDeque<>();
        long inFlightBytes = 0;
        int next = 0;
        List<ZSegmentEncoder.Segment> segments = new ArrayList<>();
        long fileStart = spoolEnd;
        try {
            for (int t = 0; t < tasks.size(); t++) {
                while (next < tasks.size() && (next == t || inFlightBytes < IN_FLIGHT_BYTES)) {
                    Task task = tasks.get(next++);
                    inFlight.add(submit(task));
                    inFlightTasks.add(task);
                    inFlightBytes += task.length();
                }
                Task task = inFlightTasks.poll();
                ZSegmentEncoder.Segment seg = await(inFlight.poll(), task);
                inFlightBytes -= task.length();
                if (segments.isEmpty()) {
                    fileStart = spoolEnd;
                }
                spoolData(seg);
                segments.add(seg);
                doneBytes += task.length();
                if (task.last()) {
                    out.add(commit(files.get(task.file()).size(), segments, fileStart, task.choice().algorithm()));
                    segments = new ArrayList<>();
                }
                if (doneBytes - reported >= PROGRESS_BYTES || t == tasks.size() - 1) {
                    reported = doneBytes;
                    listener.onEvent(new WriteEvent.Compressing(out.size(), files.size(), doneBytes, totalBytes));
                }
            }
        } finally {
            for (Future<?> f : inFlight) {
                f.cancel(true);
            }
        }
        return out;
    }

    /**
     * Compresses one more file after {@link #compress}, on the calling thread, its pclusters appended to the spool;
     * null when compression does not pay.
     *
     * @param ztailpacking whether its tail may be inline (whatever the settings say)
     */
    ZFile compressHere(FileContent content, ZCodecs.Choice choice, boolean ztailpacking) throws IOException {
        long size = content.size();
        long fileStart = spoolEnd;
        List<ZSegmentEncoder.Segment> segments = new ArrayList<>();
        for (long off = 0; off < size; off += ZSegmentEncoder.SEGMENT_SIZE) {
            int len = (int) Math.min(ZSegmentEncoder.SEGMENT_SIZE, size - off);
            Task task = new Task(0, content, off, len, off + len == size, choice);
            ZSegmentEncoder.Segment seg = encode(task, ztailpacking);
            spoolData(seg);
            segments.add(seg);
        }
        return commit(size, segments, fileStart, choice.algorithm());
    }

    private Future<ZSegmentEncoder.Segment> submit(Task task) {
        if (pool == null) {
            return java.util.concurrent.CompletableFuture.completedFuture(null);
        }
        return pool.submit(() -> encode(task));
    }

    private ZSegmentEncoder.Segment await(Future<ZSegmentEncoder.Segment> f, Task task) throws IOException {
        if (pool == null) {
            return encode(task);
        }
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while compressing " + task.content().describe());
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof IOException io) {
                throw io;
            }
            throw new IOException(task.content().describe() + ": compression failed: " + c, c);
        }
    }

    private ZSegmentEncoder.Segment encode(Task task) throws IOException {
        return encode(task, settings.ztailpacking());
    }

    private ZSegmentEncoder.Segment encode(Task task, boolean ztailpacking) throws IOException {
        byte[] in = new byte[task.length()];
        String name = task.content().describe();
        boolean shrank = false;
        try (ReadableByteChannel ch = task.content().open(task.offset())) {
            ByteBuffer b = ByteBuffer.wrap(in);
            while (b.hasRemaining() && !shrank) {
                shrank = ch.read(b) < 0;
            }
        } catch (IOException e) {
            throw ImageOutput.named(task.content(), e);
        }
        if (shrank) {
            throw new IOException(name + ": file shrank while being read (expected " + task.content().size()
                    + " bytes)");
        }
        return encoder(task.choice()).encode(in, 0, in.length, task.last(), ztailpacking);
    }

    /** This thread's encoder for a choice, made on first use. */
    private ZSegmentEncoder encoder(ZCodecs.Choice choice) {
        return encoders.get().computeIfAbsent(choice, ch -> {
            ZSegmentEncoder.DestSizeCompressor z = compressorsByCodec.get().computeIfAbsent(ch.codec(), i -> {
                ZSegmentEncoder.DestSizeCompressor fresh = compressors.apply(i);
                made.add(fresh);
                return fresh;
            });
            return new ZSegmentEncoder(z, 1 << settings.blockBits(), ch.pclusterSize(), settings.maxExtentBytes());
        });
    }

    /**
     * Appends a segment's pclusters to the spool as soon as it is taken, and lets go of them, so that a large file's
     * compressed data is never all in memory.
     */
    private void spoolData(ZSegmentEncoder.Segment seg) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(seg.data, 0, seg.dataLength);
        while (b.hasRemaining()) {
            spoolEnd += spool.write(b, spoolEnd);
        }
        seg.data = null;
    }

    /**
     * Joins a file's segments, whose pclusters are in the spool from {@code fileStart}; returns null, and gives that
     * part of the spool back, when compression does not pay.
     */
    private ZFile commit(long size, List<ZSegmentEncoder.Segment> segments, long fileStart, int algorithm) {
        List<ZSegmentEncoder.Extent> extents = new ArrayList<>();
        long data = 0;
        for (ZSegmentEncoder.Segment s : segments) {
            extents.addAll(s.extents);
            data += s.dataLength;
        }
        ZSegmentEncoder.Segment last = segments.get(segments.size() - 1);
        int inline = last.inline == null ? 0 : last.inline.length;
        int fullMap = new ZMapEncoder(extents, size, settings.blockBits(), settings.bigPcluster(), 0).fullSize();
        if (data + inline + fullMap >= size) {
            spoolEnd = fileStart;
            return null;
        }
        return new ZFile(size, extents, fileStart, data, last.inline, last.inlineRaw, last.inlineTailRaw,
                algorithm, settings.compact(), settings.bigPcluster(), settings.blockBits());
    }

    /** The spool file (its position is the caller's to set). */
    FileChannel spool() {
        return spool;
    }

    /** Copies a file's pclusters from the spool to {@code out}. */
    void copy(ZFile f, WritableByteChannel out) throws IOException {
        long pos = f.spoolOffset;
        long end = pos + f.dataBytes;
        while (pos < end) {
            long n = spool.transferTo(pos, end - pos, out);
            if (n <= 0) {
                throw new IOException("spool " + spoolPath + " ends before byte " + end);
            }
            pos += n;
        }
    }

    @Override
    public void close() throws IOException {
        synchronized (made) {
            made.forEach(ZSegmentEncoder.DestSizeCompressor::close);
            made.clear();
        }
        spool.close();
        Files.deleteIfExists(spoolPath);
    }
}
