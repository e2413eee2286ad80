package io.github.erofs4j.core.extract;

import io.github.erofs4j.core.ErofsFormatException;
import io.github.erofs4j.core.FileType;
import io.github.erofs4j.core.read.DataExtent;
import io.github.erofs4j.core.read.ErofsInode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes the entries of an image below a target directory, restoring what the kernel shows: type, mode with
 * setuid/setgid/sticky, owner, mtime with nanoseconds (symlinks too), xattrs of every namespace, hard links,
 * devices, fifos, sockets, and holes.
 *
 * <p>Entries are named by their parent {@link TargetDir} and their name's bytes, which the walk checked
 * (non-empty, no '/', no NUL, not "." or ".."). {@link FdTargetWriter} writes every entry this way, relative to
 * open directory descriptors, whenever the native helper is available; {@link PathTargetWriter} is what remains
 * without it (Java paths: names must be valid UTF-8, and less can be restored).
 *
 * <p>What cannot be restored (not root, unsupported by the target filesystem, the native helper missing) is
 * counted by kind and reported through {@link #notRestored()}. Methods called from the walk's worker threads are
 * thread-safe.
 */
abstract class TargetWriter implements AutoCloseable {
    static final int BUFFER = 1 << 20;

    /** What to restore, with the defaults of {@link ExtractOptions} resolved. */
    record Options(boolean owner, boolean perms, boolean xattrs, boolean overwrite, int umask) {}

    final Options opt;
    private final ExtractListener listener;
    /** The effective uid and gid, or -1 when unknown. */
    final long euid;
    final long egid;
    /** The umask the kernel applies when this process creates a file. */
    final int processUmask;
    /** Kind of thing not restored, with its count and one example. */
    private final Map<String, long[]> skipped = new TreeMap<>();
    private final Map<String, String> skippedExample = new TreeMap<>();

    TargetWriter(Options opt, ExtractListener listener, long euid, long egid, int processUmask) {
        this.opt = opt;
        this.listener = listener;
        this.euid = euid;
        this.egid = egid;
        this.processUmask = processUmask;
    }

    /** Creates the target directory if missing (it must then be a directory) and returns it. */
    abstract TargetDir prepareRoot() throws IOException;

    /** Whether an entry of this name can be written at all. */
    abstract boolean accepts(byte[] name);

    /** Creates (or, when it is already a real directory, reuses) the directory for an image directory. */
    abstract TargetDir directory(TargetDir parent, byte[] name, ErofsInode in) throws IOException;

    /**
     * The walk starts on a directory's entries: the directory stays open until {@link #leave}. A directory entered
     * counts as one of this run's, never removed to make room.
     */
    void enter(TargetDir dir) throws IOException {}

    /** The walk is done with a directory's entries. */
    void leave(TargetDir dir) throws IOException {}

    /** Applies a directory's metadata; called after everything inside it is written. */
    abstract void finishDirectory(TargetDir dir, ErofsInode in) throws IOException;

    /**
     * Writes one non-directory (its first link when it has several) with its metadata; returns the bytes read
     * from the image.
     */
    abstract long nonDirectory(TargetDir parent, byte[] name, ErofsInode in, ByteBuffer buf) throws IOException;

    /** Makes a further hard link to a non-directory written earlier by {@link #nonDirectory}. */
    abstract void hardLink(TargetDir parent, byte[] name, ErofsInode in) throws IOException;

    /** Releases what the writer holds open. */
    @Override
    public abstract void close() throws IOException;

    /** The permission bits an entry ends up with. */
    final int finalPermissions(ErofsInode in) {
        int perms = in.permissions();
        return opt.perms() ? perms : perms & ~opt.umask();
    }

    /**
     * The permission bits to create a regular file with, when that gives it its final mode and nothing later needs
     * more access than they grant, so that no chmod is needed afterwards; -1 otherwise. The kernel applies the
     * process umask at creation, so that must leave the wanted bits alone; setuid, setgid and sticky bits always go
     * through chmod, after chown (which clears them); and a non-root process keeps the owner's write bit for the
     * xattrs and the extending truncate that may follow.
     */
    final int modeAtCreation(ErofsInode in) {
        if (in.type() != FileType.REGULAR) {
            return -1;
        }
        int wanted = finalPermissions(in);
        if ((in.permissions() & 07000) != 0 || (wanted & processUmask) != 0 || (wanted & 0200) == 0 && euid != 0) {
            return -1;
        }
        return wanted;
    }

    /**
     * Whether a file this run created inside a directory it also created (no setgid bit yet: directory modes come
     * last) already has the owner the image gives it, so that chown would change nothing.
     */
    final boolean alreadyOwned(boolean ours, ErofsInode in) {
        return ours && in.uid() == euid && in.gid() == egid;
    }

    /** What is done with one extent that holds data. */
    interface ExtentSink {
        void accept(DataExtent x) throws IOException;
    }

    /**
     * Hands each extent that holds data (not a hole) to {@code sink}, checking that the extents tile the file
     * exactly; returns where the last one handed over ends (less than the size when the file ends in a hole).
     */
    static long eachStoredExtent(ErofsInode in, ExtentSink sink) throws IOException {
        long expect = 0;
        long end = 0;
        for (DataExtent x : in.dataExtents()) {
            if (x.logicalOffset() != expect) {
                throw ErofsFormatException.corrupt(in.inodeOffset(), "inode nid " + in.nid(),
                        "data extents do not tile the file at " + expect);
            }
            expect += x.length();
            if (x.physicalOffset() < 0 && !x.compressed()) {
                continue; // a hole: leave it unwritten
            }
            sink.accept(x);
            end = x.logicalOffset() + x.length();
        }
        if (expect != in.size()) {
            throw ErofsFormatException.corrupt(in.inodeOffset(), "inode nid " + in.nid(),
                    "data extents cover " + expect + " of " + in.size() + " bytes");
        }
        return end;
    }

    static boolean unusableSymlinkTarget(byte[] target) {
        if (target.length == 0) {
            return true;
        }
        for (byte b : target) {
            if (b == 0) {
                return true;
            }
        }
        return false;
    }

    static String namespace(String name) {
        if (name.startsWith("system.")) {
            return name;
        }
        int dot = name.indexOf('.');
        return dot < 0 ? name : name.substring(0, dot + 1) + "*";
    }

    static String kind(ErofsInode in) {
        return switch (in.type()) {
            case REGULAR -> "files";
            case DIRECTORY -> "directories";
            case SYMLINK -> "symlinks";
            default -> "special files";
        };
    }

    /** The plural of a special file's type, for messages ("char devices"). */
    static String specialKind(ErofsInode in) {
        return in.type().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ') + "s";
    }

    final synchronized void skip(String what, Object p, String detail) {
        skipped.computeIfAbsent(what, k -> new long[1])[0]++;
        skippedExample.putIfAbsent(what, p + (detail == null ? "" : " (" + detail + ")"));
        listener.notRestored(what, String.valueOf(p), detail);
    }

    /** What was not restored, by kind: a count and one example each, sorted by kind. */
    final synchronized List<ExtractSummary.NotRestored> notRestored() {
        List<ExtractSummary.NotRestored> out = new ArrayList<>();
        for (Map.Entry<String, long[]> e : skipped.entrySet()) {
            out.add(new ExtractSummary.NotRestored(e.getKey(), e.getValue()[0], skippedExample.get(e.getKey())));
        }
        return out;
    }
}
