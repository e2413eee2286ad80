package io.github.erofs4j.core.source;

import io.github.erofs4j.core.write.FileContent;
import io.github.erofs4j.core.write.FsTree;
import io.github.erofs4j.core.write.Node;
import io.github.erofs4j.core.FileType;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads a tarball (ustar, GNU and PAX: long names, hard links, devices, nanosecond mtimes, sparse files, xattrs
 * as {@code SCHILY.xattr.*} or {@code LIBARCHIVE.xattr.*}) into a tree, using commons-compress. Member contents
 * are spooled to a temporary file so the input can be a pipe. Later members replace earlier ones of the same
 * path, as when extracting. As mkfs.erofs, a member named with {@code ".."} or with a component over 255 bytes,
 * a member below a non-directory (a symlink included) and a hard link to anything but an earlier member are
 * errors; leading {@code "/"} and {@code "./"} are dropped. A 0:0 character device is a plain device like any
 * other (whether it counts as an overlayfs whiteout is for the caller to decide).
 *
 * <p>commons-compress decodes PAX values as UTF-8 strings, which would alter binary {@code SCHILY.xattr} values;
 * {@link PaxXattrTap} watches the raw stream under the tar reader and supplies the exact bytes. Should it lose
 * track of the stream, a value that is not valid UTF-8 is dropped with a warning rather than stored wrong
 * ({@code LIBARCHIVE.xattr} values are base64 and always exact).
 */
public final class TarSource {
    private TarSource() {}

    /** Reads a tar stream (compressed or not) into a new tree. */
    public static SourceTree read(InputStream in, SourceOptions options) throws IOException {
        return Spool.read(options, SourceKind.TAR, Compression.NONE, (tree, spool) -> read(in, tree, spool, options));
    }

    static void read(InputStream in, FsTree tree, Spool spool, SourceOptions opt) throws IOException {
        try {
            readTar(in, tree, spool, opt);
        } catch (NoClassDefFoundError e) {
            throw new IOException("tar input needs org.apache.commons:commons-compress on the class or module path",
                    e);
        }
    }

    private static void readTar(InputStream in, FsTree tree, Spool spool, SourceOptions opt) throws IOException {
        PaxXattrTap tap = new PaxXattrTap(in);
        org.apache.commons.compress.archivers.tar.TarArchiveInputStream tar =
                new org.apache.commons.compress.archivers.tar.TarArchiveInputStream(tap, "UTF-8");
        org.apache.commons.compress.archivers.tar.TarArchiveEntry e;
        while (true) {
            try {
                e = tar.getNextEntry();
            } catch (IllegalArgumentException | IOException ex) {
                throw new IOException("tar header after byte " + tar.getBytesRead() + ": " + ex.getMessage(), ex);
            }
            if (e == null) {
                break;
            }
            String name = e.getName();
            byte[] path = name.getBytes(StandardCharsets.UTF_8);
            String rel = name;
            while (rel.startsWith("/") || rel.startsWith("./")) {
                rel = rel.substring(rel.startsWith("/") ? 1 : 2);
            }
            if (rel.endsWith("/")) {
                rel = rel.substring(0, rel.length() - 1);
            }
            if (e.isGlobalPaxHeader() || (!rel.isEmpty() && opt.exclude().test(rel))) {
                continue;
            }
            for (byte[] part : FsTree.split(path)) {
                if (part.length > 255) {
                    throw new IOException(name + ": name component over 255 bytes");
                }
                if (part.length == 2 && part[0] == '.' && part[1] == '.') {
                    throw new IOException(name + ": \"..\" in a tar member name");
                }
                for (byte b : part) {
                    if (b == 0) {
                        throw new IOException(name.replace('\0', '?') + ": NUL byte in a tar member name");
                    }
                }
            }
            if (!CpioSource.parentsAreDirectories(tree, FsTree.split(path))) {
                // As mkfs.erofs --tar (ENOTDIR): a member cannot go below a member that is not a directory.
                throw new IOException(name + ": a component of its path is not a directory");
            }
            Node n;
            if (e.isLink()) {
                Node target = tree.get(e.getLinkName());
                if (target == null) {
                    // As mkfs.erofs (ENOENT): the target must be an earlier member, so a link can name nothing
                    // outside the archive and nothing that comes later.
                    throw new IOException(name + ": hard link to " + e.getLinkName()
                            + ", which is not an earlier member of the archive");
                }
                if (target.type() == FileType.DIRECTORY) {
                    opt.warn(name, "hard link to a directory skipped");
                    continue;
                }
                put(tree, path, target, name);
                continue;
            } else if (e.isDirectory()) {
                Node existing = tree.get(path);
                n = existing != null && existing.type() == FileType.DIRECTORY ? existing : Node.directory();
            } else if (e.isSymbolicLink()) {
                String t = e.getLinkName();
                if (t.isEmpty()) {
                    opt.warn(name, "symlink with an empty target skipped");
                    continue;
                }
                n = Node.symlink(t);
            } else if (e.isCharacterDevice() || e.isBlockDevice()) {
                int major = e.getDevMajor();
                int minor = e.getDevMinor();
                // What EROFS (and Linux's dev_t) can hold: 12 bits of major, 20 of minor.
                if (major < 0 || major > 0xFFF || minor < 0 || minor > 0xFFFFF) {
                    throw new IOException(name + ": device number " + major + ":" + minor
                            + " out of range (major 0 to 4095, minor 0 to 1048575)");
                }
                n = e.isCharacterDevice() ? Node.charDevice(major, minor) : Node.blockDevice(major, minor);
            } else if (e.isFIFO()) {
                n = Node.fifo();
            } else if (e.isFile()) {
                long size = e.getRealSize();
                FileContent c;
                try {
                    c = size == 0 ? FileContent.of(new byte[0]) : spool.add(tar, size, name);
                } catch (IOException ex) {
                    throw new IOException(name + ": " + ex.getMessage(), ex);
                }
                n = Node.file(c);
            } else {
                opt.warn(name, "skipped: unsupported tar member type '" + (char) e.getLinkFlag() + "'");
                continue;
            }
            long uid = e.getLongUserId();
            long gid = e.getLongGroupId();
            if (uid < 0 || uid > 0xFFFF_FFFFL || gid < 0 || gid > 0xFFFF_FFFFL) {
                throw new IOException(name + ": uid/gid " + uid + "/" + gid + " does not fit in 32 bits");
            }
            n.permissions(e.getMode() & 07777).owner(uid, gid);
            n.mtime(e.getLastModifiedTime().toInstant());
            if (opt.xattrs()) {
                for (Map.Entry<String, byte[]> x : xattrs(e, tap, opt).entrySet()) {
                    n.xattr(x.getKey(), x.getValue());
                }
            }
            if (FsTree.split(path).isEmpty() && n.type() != FileType.DIRECTORY) {
                opt.warn(name, "skipped: a non-directory named as the root");
                continue;
            }
            put(tree, path, n, name);
        }
    }

    private static Map<String, byte[]> xattrs(org.apache.commons.compress.archivers.tar.TarArchiveEntry e,
            PaxXattrTap tap, SourceOptions opt) {
        Map<String, byte[]> out = new TreeMap<>();
        if (!tap.broken()) {
            // Raw values, including empty ones (which the PAX reader treats as "unset" and drops).
            out.putAll(tap.current());
        }
        for (Map.Entry<String, String> h : e.getExtraPaxHeaders().entrySet()) {
            String k = h.getKey();
            if (k.startsWith("SCHILY.xattr.") && !tap.broken()) {
                continue;
            }
            if (k.startsWith("SCHILY.xattr.")) {
                String v = h.getValue();
                byte[] raw = tap.broken() ? null : tap.current().get(k.substring(13));
                if (raw != null) {
                    out.put(k.substring(13), raw);
                    continue;
                }
                if (v.indexOf('\uFFFD') >= 0) {
                    opt.warn(e.getName(), "xattr " + k.substring(13) + " dropped: its value is not UTF-8 and the "
                            + "tar reader cannot keep it exact");
                    continue;
                }
                out.put(k.substring(13), v.getBytes(StandardCharsets.UTF_8));
            } else if (k.startsWith("LIBARCHIVE.xattr.")) {
                String nm = java.net.URLDecoder.decode(k.substring(17), StandardCharsets.UTF_8);
                try {
                    out.put(nm, Base64.getDecoder().decode(h.getValue().strip()));
                } catch (IllegalArgumentException ex) {
                    opt.warn(e.getName(), "xattr " + nm + " dropped: bad base64 value");
                }
            }
        }
        return out;
    }

    /** Puts a member into the tree; a member naming the root must be a directory (an error naming it otherwise). */
    private static void put(FsTree tree, byte[] path, Node n, String name) throws IOException {
        if (n.type() != FileType.DIRECTORY && tree.get(path) == tree.root()) {
            throw new IOException(name + ": names the root of the tree but is not a directory");
        }
        tree.put(path, n);
    }
}
