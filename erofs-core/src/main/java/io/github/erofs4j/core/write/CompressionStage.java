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
     * without a choice of their own (and of the packed inode).
     *
     * @param fragments tails go to the packed inode
     * @param allFragments whole files go to the packed inode
     * @param interlaced plain pclusters are stored rotated
     * @param dedupe extents share earlier pclusters found by content ({@code -E dedupe}; compression then runs in
     *     file order on one thread)
     * @param dedupeExt identical pclusters are stored once (mkfs.erofs does so with fragments, without dedupe)
     */
    record Settings(int blockBits, int pclusterSize, boolean ztailpacking, boolean compact, boolean bigPcluster,
            int algorithm, long maxExtentBytes, boolean fragments, boolean allFragments, boolean interlaced,
            boolean dedupe, boolean dedupeExt) {
        Settings(int blockBits, int pclusterSize, boolean ztailpacking, boolean compact, boolean bigPcluster,
                int algorithm, long maxExtentBytes) {
            this(blockBits, pclusterSize, ztailpacking, compact, bigPcluster, algorithm, maxExtentBytes, false, false,
                    false, false, false);
        }

        /** Those of the packed inode: its own pcluster size, no fragments, no content dedupe. */
        Settings forPackedInode(int pcluster) {
            return new Settings(blockBits, pcluster, ztailpacking, compact, bigPcluster, algorithm, maxExtentBytes,
                    false, false, interlaced, false, dedupeExt);
        }

        /** Whether any space saver (fragments, dedupe, shared pclusters) is on. */
        boolean savesSpace() {
            return fragments || allFragments || dedupe || dedupeExt;
        }
    }

    private Settings settings;
    /** Per thread: one encoder per settings and (codec, pcluster size), those of one codec sharing its compressor. */
    private final ThreadLocal<java.util.Map<EncoderKey, ZSegmentEncoder>> encoders;
    private final ThreadLocal<java.util.Map<Integer, ZSegmentEncoder.DestSizeCompressor>> compressorsByCodec;
    private final IntFunction<ZSegmentEncoder.DestSizeCompressor> compressors;
    /** Every compressor made (one per thread and codec that compressed), closed with the stage. */
    private final List<ZSegmentEncoder.DestSizeCompressor> made = java.util.Collections.synchronizedList(new ArrayList<>());
    private final ExecutorService pool;
    /** A pool this stage shuts down when closed, or null. */
    private ExecutorService ownedPool;
    private final Path spoolPath;
    private final FileChannel spool;
    private long spoolEnd;
    /** The dedupe table ({@code -E dedupe}), or null. */
    private final ZDedupe dedupe;
    /** Identical pclusters stored once, or null. */
    private final PclusterTable pclusters;
    /** The packed inode's content, or null without fragments (until a directory is packed). */
    private FragmentTable fragments;
    private final Path spoolDirectory;
    /** Files committed with pclusters of their own, in spool order (to find the owner of a shared pcluster). */
    private final List<ZFile> owners = new ArrayList<>();
    /** The packed inode, once planned. */
    InodePlan packedInode;
    /**
     * The compressed directories, the root first, whose content goes into the packed inode once the nids are
     * known ({@link DataPlanner#packDirectories}); empty without {@code --zD}.
     */
    List<InodePlan> directories = List.of();

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
        // Matches with the dedupe table and whole-file fragments depend on every file before: one thread, in order.
        this.pool = settings.dedupe() || settings.allFragments() ? null : pool;
        this.compressors = compressors;
        this.encoders = ThreadLocal.withInitial(java.util.HashMap::new);
        this.compressorsByCodec = ThreadLocal.withInitial(java.util.HashMap::new);
        this.spoolDirectory = spoolDirectory;
        this.spoolPath = Files.createTempFile(spoolDirectory, ".erofs4j-", ".zdata");
        this.spool = FileChannel.open(spoolPath, StandardOpenOption.READ, StandardOpenOption.WRITE,
                StandardOpenOption.DELETE_ON_CLOSE);
        this.dedupe = settings.dedupe() ? new ZDedupe(1 << settings.blockBits()) : null;
        this.pclusters = settings.dedupeExt() ? new PclusterTable(spool) : null;
        FragmentTable f = null;
        if (settings.fragments() || settings.allFragments()) {
            try {
                f = new FragmentTable(spoolDirectory);
            } catch (IOException | RuntimeException e) {
                spool.close();
                Files.deleteIfExists(spoolPath);
                throw e;
            }
        }
        this.fragments = f;
    }


    /**
     * The packed inode's content once every file is compressed: the fragments, or null when there are none. Valid
     * until this stage is closed.
     */
    FileContent packedContent() {
        return fragments == null || fragments.size() == 0 ? null : fragments.content();
    }

    /**
     * Compresses the packed inode ({@link #packedContent()}) with pclusters of at most {@code pcluster} bytes, as
     * {@link #compress} does a file; null when it is to be stored uncompressed.
     */
    ZFile compressPacked(int pcluster, WriteListener listener) throws IOException {
        Settings files = settings;
        settings = settings.forPackedInode(pcluster);
        try {
            return compress(List.of(packedContent()), listener).get(0);
        } finally {
            settings = files;
        }
    }

    /**
     * Appends a compressed directory's content to the packed inode, after every file's fragment, and records its
     * offset in the directory's {@code z}.
     */
    void packDirectory(ZFile z, byte[] content) throws IOException {
        if (fragments == null) {
            fragments = new FragmentTable(spoolDirectory);
        }
        z.fragmentOffset = fragments.append(content);
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
                    if (pclusters != null) {
                        pclusters.startFile();
                    }
                }
                if (task.last() && seg.end != null) {
                    seg = matchTail(task, seg);
                }
                spoolData(seg);
                segments.add(seg);
                doneBytes += task.length();
                if (task.last()) {
                    out.add(commit(files.get(task.file()), segments, fileStart, task.choice().algorithm()));
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
        Settings files = settings;
        // No space saver: metadata is neither a fragment nor shares pclusters with files.
        settings = new Settings(files.blockBits(), files.pclusterSize(), files.ztailpacking(), files.compact(),
                files.bigPcluster(), files.algorithm(), files.maxExtentBytes());
        metadataPass = true;
        try {
            List<ZSegmentEncoder.Segment> segments = new ArrayList<>();
            for (long off = 0; off < size; off += ZSegmentEncoder.SEGMENT_SIZE) {
                int len = (int) Math.min(ZSegmentEncoder.SEGMENT_SIZE, size - off);
                Task task = new Task(0, content, off, len, off + len == size, choice);
                ZSegmentEncoder.Segment seg = encode(task, ztailpacking);
                spoolData(seg);
                segments.add(seg);
            }
            return commit(content, segments, fileStart, choice.algorithm());
        } finally {
            settings = files;
            metadataPass = false;
        }
    }

    /** Whether {@link #compressHere} is running (the dedupe and pcluster tables are then left alone). */
    private boolean metadataPass;

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
        FileContent content = task.content();
        if (settings.allFragments()) {
            return encodeWhole(task);
        }
        byte[] in = read(content, task.offset(), task.length());
        if (dedupe != null && task.offset() == 0) {
            dedupe.startFile();
        }
        ZSegmentEncoder.Place place = dedupe != null
                ? new ZSegmentEncoder.Place(content, task.offset(), spoolEnd) : null;
        boolean frag = settings.fragments() && task.last();
        FragmentTable.Match m = null;
        if (frag && pool == null) {
            // In order: every file before this one is committed, so the match can decide the encoding at once.
            m = fragments.find(end(in, in.length), in.length, content, content.size());
        }
        ZSegmentEncoder.Segment seg = encoder(task.choice()).encode(in, 0, in.length, tail(task.last(), m), place);
        seg.match = m;
        if (frag && pool != null) {
            seg.end = end(in, in.length);
        }
        return seg;
    }

    private ZSegmentEncoder.Tail tail(boolean last, FragmentTable.Match m) {
        return new ZSegmentEncoder.Tail(last, settings.ztailpacking(), settings.fragments(),
                m == null ? 0 : (int) m.length());
    }

    /**
     * With {@code -E all-fragments}, in file order: the whole file goes to the packed inode unless an earlier fragment
     * ends with its last bytes; then those bytes are that fragment's, and the bytes before are compressed as with
     * {@code -E fragments}.
     */
    private ZSegmentEncoder.Segment encodeWhole(Task task) throws IOException {
        FileContent content = task.content();
        long size = content.size();
        if (task.offset() == 0) {
            int n = (int) Math.min(size, FragmentTable.WINDOW);
            FragmentTable.Match m = fragments.find(read(content, size - n, n), size, content, size);
            // A partial match is used within the last segment only, as the segments are encoded apart.
            long lastLen = size - (size - 1) / ZSegmentEncoder.SEGMENT_SIZE * ZSegmentEncoder.SEGMENT_SIZE;
            if (m != null && m.length() < size && m.length() > lastLen) {
                m = new FragmentTable.Match(m.item(), lastLen);
            }
            wholeMatch = m;
        }
        FragmentTable.Match m = wholeMatch;
        if (m == null || m.length() == size) {
            ZSegmentEncoder.Segment seg = new ZSegmentEncoder.Segment();
            if (task.last()) {
                seg.match = m;
                seg.whole = true;
            }
            return seg;
        }
        byte[] in = read(content, task.offset(), task.length());
        ZSegmentEncoder.Segment seg = encoder(task.choice()).encode(in, 0, in.length,
                new ZSegmentEncoder.Tail(task.last(), settings.ztailpacking(), true,
                        task.last() ? (int) m.length() : 0), null);
        seg.match = task.last() ? m : null;
        return seg;
    }

    /** The match of the file being encoded with {@code -E all-fragments}. */
    private FragmentTable.Match wholeMatch;

    /**
     * For a file's last segment encoded on a worker: looks for an earlier fragment ending with the same bytes, now
     * that every file before is committed, and encodes the segment again if there is one.
     */
    private ZSegmentEncoder.Segment matchTail(Task task, ZSegmentEncoder.Segment seg) throws IOException {
        FragmentTable.Match m = fragments.find(seg.end, task.length(), task.content(), task.content().size());
        seg.end = null;
        if (m == null) {
            return seg;
        }
        byte[] in = read(task.content(), task.offset(), task.length());
        ZSegmentEncoder.Segment again = encoder(task.choice()).encode(in, 0, in.length, tail(true, m), null);
        again.match = m;
        return again;
    }

    /** The last bytes of {@code in[0, len)} compared with earlier fragments. */
    private static byte[] end(byte[] in, int len) {
        int n = Math.min(len, FragmentTable.WINDOW);
        return java.util.Arrays.copyOfRange(in, len - n, len);
    }

    private static byte[] read(FileContent content, long offset, int length) throws IOException {
        byte[] in = new byte[length];
        boolean shrank = false;
        try (ReadableByteChannel ch = content.open(offset)) {
            ByteBuffer b = ByteBuffer.wrap(in);
            while (b.hasRemaining() && !shrank) {
                shrank = ch.read(b) < 0;
            }
        } catch (IOException e) {
            throw ImageOutput.named(content, e);
        }
        if (shrank) {
            throw new IOException(content.describe() + ": file shrank while being read (expected " + content.size()
                    + " bytes)");
        }
        return in;
    }

    /** Encodes one segment of a file compressed after the others, with no space saver. */
    private ZSegmentEncoder.Segment encode(Task task, boolean ztailpacking) throws IOException {
        byte[] in = read(task.content(), task.offset(), task.length());
        return encoder(task.choice()).encode(in, 0, in.length,
                new ZSegmentEncoder.Tail(task.last(), ztailpacking, false, 0), null);
    }

    /** A key of this thread's encoders. */
    private record EncoderKey(Settings settings, ZCodecs.Choice choice) {}

    /** This thread's encoder for the current settings and a choice, made on first use. */
    private ZSegmentEncoder encoder(ZCodecs.Choice choice) {
        Settings s = settings;
        return encoders.get().computeIfAbsent(new EncoderKey(s, choice), k -> {
            ZSegmentEncoder.DestSizeCompressor z = compressorsByCodec.get().computeIfAbsent(choice.codec(), i -> {
                ZSegmentEncoder.DestSizeCompressor fresh = compressors.apply(i);
                made.add(fresh);
                return fresh;
            });
            return new ZSegmentEncoder(z, 1 << s.blockBits(), choice.pclusterSize(), s.maxExtentBytes(),
                    s.interlaced(), s.dedupe() ? dedupe : null);
        });
    }

    /**
     * Appends a segment's pclusters to the spool as soon as it is taken, and lets go of them, so that a large file's
     * compressed data is never all in memory.
     */
    private void spoolData(ZSegmentEncoder.Segment seg) throws IOException {
        if (pclusters == null || metadataPass) {
            write(seg.data, 0, seg.dataLength);
        } else {
            // Each pcluster equal to one stored before is referred to instead of written.
            int at = 0;
            for (int i = 0; i < seg.extents.size(); i++) {
                ZSegmentEncoder.Extent e = seg.extents.get(i);
                if (!e.ownsData()) {
                    continue;
                }
                long found = pclusters.find(seg.data, at, e.plen, e.raw);
                if (found >= 0) {
                    seg.extents.set(i, e.shared(found));
                    seg.shared = true;
                } else {
                    pclusters.add(seg.data, at, e.plen, e.raw, spoolEnd);
                    write(seg.data, at, e.plen);
                }
                at += e.plen;
            }
        }
        seg.data = null;
    }

    private void write(byte[] data, int off, int len) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(data, off, len);
        while (b.hasRemaining()) {
            spoolEnd += spool.write(b, spoolEnd);
        }
    }

    /**
     * Joins a file's segments, whose pclusters are in the spool from {@code fileStart}; returns null, and gives that
     * part of the spool back, when compression does not pay (never for a file with a fragment). Puts a new
     * fragment into the packed inode.
     */
    private ZFile commit(FileContent content, List<ZSegmentEncoder.Segment> segments, long fileStart, int algorithm)
            throws IOException {
        long size = content.size();
        ZSegmentEncoder.Segment last = segments.get(segments.size() - 1);
        List<ZSegmentEncoder.Extent> extents = new ArrayList<>();
        boolean shared = false;
        for (ZSegmentEncoder.Segment s : segments) {
            extents.addAll(s.extents);
            shared |= s.shared;
        }
        long data = spoolEnd - fileStart;
        long fragmentOffset = -1;
        boolean whole = false;
        if (last.whole) {
            whole = true;
            fragmentOffset = last.match != null ? FragmentTable.offsetOf(last.match, size)
                    : fragments.addWhole(content, size);
        } else if (last.fragment != null) {
            fragmentOffset = fragments.add(last.fragment, content, size);
        } else if (last.matchedFragment > 0) {
            fragmentOffset = FragmentTable.offsetOf(last.match, last.matchedFragment);
        }
        if (fragmentOffset < 0) {
            int inline = last.inline == null ? 0 : last.inline.length;
            int fullMap = new ZMapEncoder(extents, size, settings.blockBits(), settings.bigPcluster(), 0).fullSize();
            if (data + inline + fullMap >= size) {
                spoolEnd = fileStart;
                if (dedupe != null && !metadataPass) {
                    dedupe.dropFile();
                }
                if (pclusters != null && !metadataPass) {
                    pclusters.dropFile();
                }
                return null;
            }
        }
        if (extents.size() == 1 && extents.get(0).fragment) {
            whole = true;
        }
        if (whole) {
            extents = List.of();
        }
        ZFile f = new ZFile(size, extents, fileStart, data, last.inline, last.inlineRaw, last.inlineTailRaw,
                algorithm, settings.compact(), settings.bigPcluster(), settings.blockBits());
        f.fragmentOffset = fragmentOffset;
        f.wholeFragment = whole;
        f.shared = shared;
        f.interlaced = settings.interlaced();
        f.refBlock = this::blockOf;
        if (data > 0) {
            owners.add(f);
        }
        return f;
    }

    /** The block of the shared pcluster at spool offset {@code off}, once blocks are given. */
    private long blockOf(long off) {
        int lo = 0;
        int hi = owners.size() - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (owners.get(mid).spoolOffset <= off) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        ZFile o = owners.isEmpty() ? null : owners.get(lo);
        if (o == null || off < o.spoolOffset || off >= o.spoolOffset + o.dataBytes) {
            throw new IllegalStateException("no pcluster at spool offset " + off);
        }
        return o.startBlk < 0 ? 0 : o.startBlk + ((off - o.spoolOffset) >> settings.blockBits());
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

    /** Makes this stage shut {@code pool} (the one it compresses on) down when it is closed. */
    void keepPool(ExecutorService pool) {
        ownedPool = pool;
    }

    @Override
    public void close() throws IOException {
        if (ownedPool != null) {
            ownedPool.shutdownNow();
        }
        synchronized (made) {
            made.forEach(ZSegmentEncoder.DestSizeCompressor::close);
            made.clear();
        }
        spool.close();
        Files.deleteIfExists(spoolPath);
        if (fragments != null) {
            fragments.close();
        }
    }
}
