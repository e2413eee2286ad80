package io.github.erofs4j.core.extract;

import io.github.erofs4j.core.internal.Messages;
import io.github.erofs4j.core.format.Erofs;
import io.github.erofs4j.core.ErofsFormatException;
import io.github.erofs4j.core.read.DataExtent;
import io.github.erofs4j.core.read.DirEntry;
import io.github.erofs4j.core.read.ErofsImage;
import io.github.erofs4j.core.read.ErofsInode;
import io.github.erofs4j.core.FileType;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Walks a whole image the way {@link ImageChecker} does: every directory (checking "." and "..", name validity, strict
 * name order and dirent types), every inode's xattrs, and every byte of every file; optionally hands each entry
 * to an {@link TargetWriter}.
 *
 * <p>The walk runs in three phases: (1) one thread walks the directory tree, checks it and creates the target
 * directories; (2) a bounded pool reads (and writes) every non-directory, one task per file; (3) hard links and
 * directory metadata are applied in a fixed order. Problems are collected and reported in walk order, so the
 * output does not depend on the number of threads.
 */
final class Walk {
    /** Problems kept; the rest are only counted. */
    private static final int MAX_KEPT = CheckReport.MAX_PROBLEMS;

    /**
     * One entry to handle: its index in walk order, its path inside the image (for messages), when extracting its
     * target directory and name (for a directory: the directory itself and null), its inode.
     */
    record Job(int index, String path, TargetDir dir, byte[] name, ErofsInode inode) {}

    /** One problem and where in the walk it was found (for ordering). */
    private record Found(long order, Problem problem) {}

    private final ErofsImage img;
    private final TargetWriter writer;
    private final int threads;

    private final List<Found> problems = new ArrayList<>();
    private long problemCount;
    private final AtomicLong bytesRead = new AtomicLong();
    private final Map<FileType, Long> typeCounts = new java.util.EnumMap<>(FileType.class);
    private long inodes;

    Walk(ErofsImage img, TargetWriter writer, int threads) {
        this.img = img;
        this.writer = writer;
        this.threads = Math.max(1, threads);
    }

    /** Runs the walk; returns true when no problem was found. */
    boolean run() throws IOException {
        List<Job> links = new ArrayList<>();
        List<Job> dirs = new ArrayList<>();
        startJobs();
        try {
            walkTree(links, dirs);
            awaitJobs();
        } finally {
            if (pool != null) {
                pool.shutdownNow();
            }
        }
        if (writer != null) {
            for (Job j : links) {
                try {
                    writer.hardLink(j.dir(), j.name(), j.inode());
                } catch (IOException e) {
                    problem(j.index(), j.path(), e);
                }
            }
            finishDirectories(dirs);
        }
        return problemCount == 0;
    }

    /**
     * Reverse walk order finishes every directory after all of its descendants. Each directory's parent is held
     * open from its first child finished to its own turn, so no directory has to be opened again from the root.
     */
    private void finishDirectories(List<Job> dirs) throws IOException {
        Set<TargetDir> held = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (int i = dirs.size() - 1; i >= 0; i--) {
            Job d = dirs.get(i);
            TargetDir t = d.dir();
            try {
                if (t.parent != null && held.add(t.parent)) {
                    t.parent.acquire();
                }
                writer.finishDirectory(t, d.inode());
            } catch (IOException e) {
                problem(d.index(), d.path(), e);
            } finally {
                if (held.remove(t)) {
                    t.release();
                }
            }
        }
    }

    /** Walk order of the next entry (phase 1 only: the walking thread's). */
    private int order;
    /** Directories reached so far, and non-directories with several links (phase 1 only). */
    private final Set<Long> seenDirs = new HashSet<>();
    private final Set<Long> seenLinked = new HashSet<>();

    /**
     * Phase 1: the directory tree, checked; directories created when extracting. Each directory and each entry is
     * handled in a method of its own, so that the JIT compiles them after a few hundred calls instead of leaving
     * one long-running loop to the interpreter.
     */
    private void walkTree(List<Job> links, List<Job> dirs) throws IOException {
        ErofsInode root = img.root();
        count(root);
        seenDirs.add(root.nid());
        TargetDir top = writer == null ? null : writer.prepareRoot();
        xattrs(order, "", root);
        dirs.add(new Job(order++, "", top, null, root));
        Deque<Frame> stack = new ArrayDeque<>();
        stack.push(new Frame(root, "", top, root.nid()));
        List<Frame> subdirs = new ArrayList<>();
        while (!stack.isEmpty()) {
            walkDirectory(stack.pop(), links, dirs, subdirs);
            for (int i = subdirs.size() - 1; i >= 0; i--) {
                stack.push(subdirs.get(i));
            }
            subdirs.clear();
        }
    }

    /** A directory still to walk: its inode, its path, its target directory when extracting, its parent's nid. */
    private record Frame(ErofsInode dir, String path, TargetDir target, long parentNid) {}

    /** Checks one directory and handles its entries; its subdirectories are added to {@code subdirs} in order. */
    private void walkDirectory(Frame f, List<Job> links, List<Job> dirs, List<Frame> subdirs) throws IOException {
        if (writer == null) {
            walkEntries(f, links, dirs, subdirs);
            return;
        }
        try {
            writer.enter(f.target());
        } catch (IOException e) {
            problem(order++, f.path(), e);
            return;
        }
        try {
            walkEntries(f, links, dirs, subdirs);
        } finally {
            writer.leave(f.target());
        }
    }

    private void walkEntries(Frame f, List<Job> links, List<Job> dirs, List<Frame> subdirs) throws IOException {
        List<DirEntry> entries;
        try {
            entries = f.dir().entries();
        } catch (IOException e) {
            problem(order++, f.path(), e);
            return;
        }
        boolean sorted = checkDirectory(f.dir(), f.path(), f.parentNid(), entries, order++);
        // A damaged directory is still walked, but never with a bad or repeated name: those were reported, and
        // extracting them could escape the target or let a symlink stand in for a directory.
        // Strictly increasing names cannot repeat; only a misordered directory needs the set.
        Set<ByteBuffer> names = sorted ? null : new HashSet<>();
        for (DirEntry e : entries) {
            byte[] raw = e.nameBytes();
            if (isDotOrDotDot(raw) || badName(raw) != null || (names != null && !names.add(ByteBuffer.wrap(raw)))) {
                continue;
            }
            entry(f, e, links, dirs, subdirs);
        }
    }

    private static boolean isDotOrDotDot(byte[] name) {
        return name.length == 1 && name[0] == '.' || name.length == 2 && name[0] == '.' && name[1] == '.';
    }

    /** One entry of a directory, with a good name: checked, then handed on by type. */
    private void entry(Frame f, DirEntry e, List<Job> links, List<Job> dirs, List<Frame> subdirs) throws IOException {
        String child = Names.child(f.path(), e.name());
        int index = order++;
        byte[] name = e.nameBytes();
        if (writer != null && !writer.accepts(name)) {
            problem(index, child, -1, "name is not valid UTF-8 (hex " + Messages.hex(name)
                    + "); not extracted (needs JNA)");
            return;
        }
        ErofsInode in;
        try {
            in = img.inode(e.nid());
        } catch (IOException ex) {
            problem(index, child, ex);
            return;
        }
        if (e.fileType() != Erofs.fileTypeOfMode(in.mode())) {
            problem(index, child, in.inodeOffset(), "dirent file type " + e.fileType() + " of nid " + e.nid()
                    + " does not match the inode's mode 0" + Integer.toOctalString(in.mode())
                    + " (inode at byte " + in.inodeOffset() + ")");
        }
        if (in.type() == FileType.DIRECTORY) {
            if (!seenDirs.add(in.nid())) {
                problem(index, child, in.inodeOffset(), "directory nid " + in.nid() + " (inode at byte " + in.inodeOffset()
                        + ") is reachable twice: a directory hard link or loop; not descending");
                return;
            }
            count(in);
            xattrs(index, child, in);
            TargetDir made = null;
            if (writer != null) {
                try {
                    made = writer.directory(f.target(), name, in);
                } catch (IOException ex) {
                    problem(index, child, ex);
                    return;
                }
            }
            dirs.add(new Job(index, child, made, null, in));
            subdirs.add(new Frame(in, child, made, f.dir().nid()));
        } else if (in.nlink() > 1 && !seenLinked.add(in.nid())) {
            links.add(new Job(index, child, f.target(), name, in));
        } else {
            count(in);
            submit(new Job(index, child, f.target(), name, in));
        }
    }

    /** Checks the dirents of one directory, reporting what is wrong; returns whether the names are in order. */
    private boolean checkDirectory(ErofsInode dir, String path, long parentNid,
            List<DirEntry> entries, int order) throws IOException {
        boolean sorted = true;
        boolean dot = false;
        boolean dotdot = false;
        byte[] prev = null;
        for (int i = 0; i < entries.size(); i++) {
            DirEntry e = entries.get(i);
            byte[] name = e.nameBytes();
            if (prev != null && Arrays.compareUnsigned(prev, name) >= 0) {
                problem(order, path, offset(dir, i), "dirent " + i + " of directory nid " + dir.nid() + at(dir, i)
                        + ": name '" + Messages.safe(e.name()) + "' is not after '"
                        + Messages.safe(new String(prev, java.nio.charset.StandardCharsets.UTF_8))
                        + "' (names must be strictly increasing; lookups would fail)");
                sorted = false;
            }
            prev = name;
            String bad = badName(name);
            if (name.length == 1 && name[0] == '.') {
                dot = true;
                if (e.nid() != dir.nid()) {
                    problem(order, path, offset(dir, i), "dirent '.' of directory nid " + dir.nid() + at(dir, i) + " points to nid "
                            + e.nid() + " instead of the directory itself");
                }
            } else if (name.length == 2 && name[0] == '.' && name[1] == '.') {
                dotdot = true;
                if (e.nid() != parentNid) {
                    problem(order, path, offset(dir, i), "dirent '..' of directory nid " + dir.nid() + at(dir, i) + " points to nid "
                            + e.nid() + " instead of the parent nid " + parentNid);
                }
            } else if (bad != null) {
                problem(order, path, offset(dir, i), "dirent " + i + " of directory nid " + dir.nid() + at(dir, i)
                        + ": " + bad
                        + "; not extracted");
            }
        }
        if (!dotdot) {
            problem(order, path, dir.inodeOffset(), "directory nid " + dir.nid() + " (inode at byte "
                    + dir.inodeOffset() + ") has no '..' entry");
        }
        if (!dot && !dir.dotOmitted()) {
            problem(order, path, dir.inodeOffset(), "directory nid " + dir.nid() + " (inode at byte "
                    + dir.inodeOffset() + ") has no '.' entry and does not have the dot-omitted flag");
        }
        return sorted;
    }

    /** Why a stored name is unacceptable, or null. */
    static String badName(byte[] name) {
        if (name.length == 0) {
            return "empty name";
        }
        if (name.length > Erofs.NAME_LEN_MAX) {
            return "name longer than " + Erofs.NAME_LEN_MAX + " bytes";
        }
        for (byte b : name) {
            if (b == '/') {
                return "name contains '/'";
            }
            if (b == 0) {
                return "name contains a NUL byte";
            }
        }
        return null;
    }

    /** " at byte N" for dirent {@code index} of a directory, or "" when the offset cannot be found. */
    private String at(ErofsInode dir, int index) {
        long off = offset(dir, index);
        return off < 0 ? "" : " at byte " + off + " (0x" + Long.toHexString(off) + ")";
    }

    /** The offset of dirent {@code index}, or else of the directory's inode. */
    private long offset(ErofsInode dir, int index) {
        try {
            long off = direntOffset(dir, index);
            return off < 0 ? dir.inodeOffset() : off;
        } catch (IOException e) {
            return dir.inodeOffset();
        }
    }

    /** The image byte offset of dirent {@code index} (on-disk order), read from the directory's own blocks. */
    private long direntOffset(ErofsInode dir, int index) throws IOException {
        int bs = img.blockSize();
        byte[] head = new byte[12];
        long seen = 0;
        for (long blk = 0; blk * bs < dir.size(); blk++) {
            if (dir.read(blk * bs, head, 0, 12) != 12) {
                return -1;
            }
            int count = ((head[8] & 0xff) | (head[9] & 0xff) << 8) / 12;
            if (count == 0) {
                return -1;
            }
            if (index < seen + count) {
                long logical = blk * bs + (index - seen) * 12;
                for (DataExtent x : dir.dataExtents()) {
                    if (logical >= x.logicalOffset() && logical < x.logicalOffset() + x.length()) {
                        // Inline data of an inode kept in the metabox has no offset in the image.
                        return x.physicalOffset() < 0 || x.compressed() || x.device() == DataExtent.METABOX ? -1
                                : x.physicalOffset() + logical - x.logicalOffset();
                    }
                }
                return -1;
            }
            seen += count;
        }
        return -1;
    }

    private void xattrs(int order, String path, ErofsInode in) {
        try {
            in.xattrs();
        } catch (IOException e) {
            problem(order, path, e);
        }
    }

    private void count(ErofsInode in) {
        inodes++;
        typeCounts.merge(in.type(), 1L, Long::sum);
    }

    private ExecutorService pool;
    /** Batches queued or running; the walk waits when there are too many, so memory stays bounded. */
    private java.util.concurrent.Semaphore inFlight;
    /** The first unexpected failure of a worker (a bug, or an Error such as OutOfMemoryError). */
    private final java.util.concurrent.atomic.AtomicReference<Throwable> failure =
            new java.util.concurrent.atomic.AtomicReference<>();
    private final ThreadLocal<ByteBuffer> buffers =
            ThreadLocal.withInitial(() -> ByteBuffer.allocateDirect(TargetWriter.BUFFER));

    /**
     * Phase 2 starts while phase 1 walks: each non-directory is handed to the pool as soon as it is found (its
     * directory exists by then), so walking and writing overlap.
     */
    private void startJobs() {
        if (threads > 1) {
            pool = Executors.newFixedThreadPool(threads, r -> {
                Thread t = new Thread(r, "erofs-walk");
                t.setDaemon(true);
                return t;
            });
            inFlight = new java.util.concurrent.Semaphore(4 * threads);
        }
    }

    /** Jobs not yet handed to the pool: small files go in batches, which costs far less than a task each. */
    private List<Job> batch = new ArrayList<>();
    private long batchBytes;

    private void submit(Job j) throws IOException {
        if (j.dir() != null) {
            j.dir().acquire(); // released once the job is handled
        }
        if (pool == null) {
            handle(j, buffers.get());
            return;
        }
        batch.add(j);
        batchBytes += j.inode().size();
        if (batch.size() >= 64 || batchBytes >= (4 << 20)) {
            flush();
        }
    }

    private void flush() throws IOException {
        if (batch.isEmpty()) {
            return;
        }
        List<Job> b = batch;
        batch = new ArrayList<>();
        batchBytes = 0;
        try {
            inFlight.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted");
        }
        pool.execute(() -> {
            try {
                ByteBuffer buf = buffers.get();
                for (Job j : b) {
                    handle(j, buf);
                }
            } catch (Throwable t) {
                failure.compareAndSet(null, t);
            } finally {
                inFlight.release();
            }
        });
        rethrow();
    }

    private void awaitJobs() throws IOException {
        if (pool == null) {
            return;
        }
        flush();
        pool.shutdown();
        try {
            while (!pool.awaitTermination(1, java.util.concurrent.TimeUnit.MINUTES)) {
                // Large files take their time; keep waiting.
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted");
        }
        rethrow();
    }

    private void rethrow() {
        Throwable t = failure.get();
        if (t instanceof RuntimeException r) {
            throw r;
        }
        if (t instanceof Error err) {
            throw err;
        }
        if (t != null) {
            throw new IllegalStateException(t);
        }
    }

    private void handle(Job j, ByteBuffer buf) {
        ErofsInode in = j.inode();
        try {
            in.xattrs();
            if (writer != null) {
                try {
                    bytesRead.addAndGet(writer.nonDirectory(j.dir(), j.name(), in, buf));
                } finally {
                    j.dir().release();
                }
            } else if (in.type() == FileType.REGULAR) {
                bytesRead.addAndGet(readAll(in, buf));
            } else if (in.type() == FileType.SYMLINK) {
                bytesRead.addAndGet(in.readSymlink().length);
            }
        } catch (IOException e) {
            problem(j.index(), j.path(), e);
        }
    }

    /** Reads every stored byte of a file (holes are skipped), checking that the extents tile [0, size). */
    static long readAll(ErofsInode in, ByteBuffer buf) throws IOException {
        long expect = 0;
        long total = 0;
        for (DataExtent x : in.dataExtents()) {
            if (x.logicalOffset() != expect || x.length() < 0) {
                throw ErofsFormatException.corrupt(in.inodeOffset(), "inode nid " + in.nid(),
                        "data extents do not tile the file: extent at " + x.logicalOffset() + " where " + expect
                                + " was expected");
            }
            expect += x.length();
            if (x.physicalOffset() < 0 && !x.compressed()) {
                continue;
            }
            total += copy(in, x.logicalOffset(), x.length(), buf, null);
        }
        if (expect != in.size()) {
            throw ErofsFormatException.corrupt(in.inodeOffset(), "inode nid " + in.nid(),
                    "data extents cover " + expect + " bytes of a " + in.size() + "-byte file");
        }
        return total;
    }

    /** Where {@link #copy} puts what it read. */
    interface Chunks {
        /** Takes {@code buf}'s bytes from 0 to {@code n}, which are the file's from {@code at}. */
        void write(ByteBuffer buf, int n, long at) throws IOException;
    }

    /** Copies [pos, pos + len) of a file to {@code out} (or nowhere), through the reader; returns bytes read. */
    static long copy(ErofsInode in, long pos, long len, ByteBuffer buf, Chunks out) throws IOException {
        long done = 0;
        while (done < len) {
            buf.clear();
            if (len - done < buf.capacity()) {
                buf.limit((int) (len - done));
            }
            int n = in.read(pos + done, buf);
            if (n <= 0) {
                throw ErofsFormatException.corrupt(in.inodeOffset(), "inode nid " + in.nid(),
                        "data ends at " + (pos + done) + " before the file size " + in.size());
            }
            if (out != null) {
                out.write(buf, n, pos + done);
            }
            done += n;
        }
        return done;
    }

    private void problem(long order, String path, IOException e) {
        problem(order, path, e instanceof ErofsFormatException f ? f.offset() : -1, Messages.reason(e));
    }

    private synchronized void problem(long order, String path, long offset, String text) {
        problemCount++;
        if (problems.size() < MAX_KEPT || order < problems.get(problems.size() - 1).order()) {
            problems.add(new Found(order, new Problem(Names.display(path), offset, text)));
            problems.sort(java.util.Comparator.comparingLong(Found::order));
            if (problems.size() > MAX_KEPT) {
                problems.remove(problems.size() - 1);
            }
        }
    }

    /** What the walk found, once {@link #run()} returned. */
    synchronized CheckReport report() {
        return new CheckReport(inodes, typeCounts, bytesRead.get(), problems.stream().map(Found::problem).toList(),
                problemCount);
    }
}
