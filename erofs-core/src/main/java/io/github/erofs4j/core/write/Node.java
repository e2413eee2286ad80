package io.github.erofs4j.core.write;

import io.github.erofs4j.core.FileType;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One inode of an in-memory tree to be written as an EROFS image: a directory, a regular file, a symlink, a
 * device, a FIFO or a socket, with its owner, permissions, nanosecond mtime and xattrs.
 *
 * <p>Names live in directories, not in nodes: a regular file (or any non-directory) placed under several names,
 * in one directory or several, is a hard link and becomes one inode. A directory may have only one parent.
 * Directory children are kept sorted by the unsigned bytes of their names, so the order in which a source adds
 * them never shows in the image.
 *
 * <p>Not thread-safe: build a tree from one thread (or synchronize), then hand it to {@link ErofsWriter}.
 */
public final class Node {
    /** Orders names by their unsigned bytes, as EROFS directories require. */
    public static final Comparator<byte[]> NAME_ORDER = Arrays::compareUnsigned;

    private final FileType type;
    private int permissions;
    private long uid;
    private long gid;
    private long mtimeSeconds;
    private int mtimeNanos;
    private TreeMap<String, byte[]> xattrs;
    // Type-specific state.
    private FileContent content;
    private byte[] symlinkTarget;
    private int rdevMajor;
    private int rdevMinor;
    private final TreeMap<byte[], Node> children;

    private Node(FileType type, int permissions) {
        this.type = type;
        this.permissions = permissions;
        this.children = type == FileType.DIRECTORY ? new TreeMap<>(NAME_ORDER) : null;
    }

    /** A new empty directory, mode 0755. */
    public static Node directory() {
        return new Node(FileType.DIRECTORY, 0755);
    }

    /** A new regular file, mode 0644. */
    public static Node file(FileContent content) {
        Node n = new Node(FileType.REGULAR, 0644);
        n.content = Objects.requireNonNull(content, "content");
        return n;
    }

    /** A new regular file holding these bytes, mode 0644. */
    public static Node file(byte[] bytes) {
        return file(FileContent.of(bytes));
    }

    /** A new symlink (the target is stored as given, not resolved), mode 0777. */
    public static Node symlink(byte[] target) {
        Objects.requireNonNull(target, "target");
        if (target.length == 0) {
            throw new IllegalArgumentException("empty symlink target");
        }
        Node n = new Node(FileType.SYMLINK, 0777);
        n.symlinkTarget = target.clone();
        return n;
    }

    /** A new symlink with a UTF-8 target, mode 0777. */
    public static Node symlink(String target) {
        return symlink(target.getBytes(StandardCharsets.UTF_8));
    }

    /** A new character device, mode 0644 (major and minor as in Linux, up to 4095 and 1048575). */
    public static Node charDevice(int major, int minor) {
        return device(FileType.CHAR_DEVICE, major, minor);
    }

    /** A new block device, mode 0644. */
    public static Node blockDevice(int major, int minor) {
        return device(FileType.BLOCK_DEVICE, major, minor);
    }

    /** A new FIFO, mode 0644. */
    public static Node fifo() {
        return new Node(FileType.FIFO, 0644);
    }

    /** A new socket, mode 0755. */
    public static Node socket() {
        return new Node(FileType.SOCKET, 0755);
    }

    private static Node device(FileType type, int major, int minor) {
        if (major < 0 || major > 0xFFF || minor < 0 || minor > 0xFFFFF) {
            throw new IllegalArgumentException("device number out of range: " + major + ":" + minor);
        }
        Node n = new Node(type, 0644);
        n.rdevMajor = major;
        n.rdevMinor = minor;
        return n;
    }

    /** The type of this node. */
    public FileType type() {
        return type;
    }

    /** Permission bits (the low 12 bits of st_mode, including setuid, setgid and sticky). */
    public int permissions() {
        return permissions;
    }

    /** The full st_mode: type bits and permissions. */
    public int mode() {
        return type.modeBits() | permissions;
    }

    public Node permissions(int perms) {
        if ((perms & ~07777) != 0) {
            throw new IllegalArgumentException("permission bits out of range: " + Integer.toOctalString(perms));
        }
        this.permissions = perms;
        return this;
    }

    public long uid() {
        return uid;
    }

    public long gid() {
        return gid;
    }

    /** Sets the owner; ids are unsigned 32-bit values. */
    public Node owner(long uid, long gid) {
        if (uid < 0 || uid > 0xFFFFFFFFL || gid < 0 || gid > 0xFFFFFFFFL) {
            throw new IllegalArgumentException("uid/gid out of range: " + uid + "/" + gid);
        }
        this.uid = uid;
        this.gid = gid;
        return this;
    }

    public long mtimeSeconds() {
        return mtimeSeconds;
    }

    public int mtimeNanos() {
        return mtimeNanos;
    }

    /** Sets the modification time (seconds since the Unix epoch, may be negative; nanoseconds 0-999999999). */
    public Node mtime(long seconds, int nanos) {
        if (nanos < 0 || nanos > 999_999_999) {
            throw new IllegalArgumentException("nanoseconds out of range: " + nanos);
        }
        this.mtimeSeconds = seconds;
        this.mtimeNanos = nanos;
        return this;
    }

    public Node mtime(Instant t) {
        return mtime(t.getEpochSecond(), t.getNano());
    }

    /** The xattrs by full name ({@code user.foo}), sorted by name; unmodifiable, values are not copied. */
    public NavigableMap<String, byte[]> xattrs() {
        return xattrs == null ? Collections.emptyNavigableMap() : Collections.unmodifiableNavigableMap(xattrs);
    }

    /** Sets an xattr by its full name (the value is copied; at most 65535 bytes). */
    public Node xattr(String name, byte[] value) {
        Objects.requireNonNull(name, "name");
        if (value.length > 0xFFFF) {
            throw new IllegalArgumentException("xattr value over 65535 bytes: " + name);
        }
        if (xattrs == null) {
            xattrs = new TreeMap<>();
        }
        xattrs.put(name, value.clone());
        return this;
    }

    /** Removes an xattr; returns whether it was there. */
    public boolean removeXattr(String name) {
        return xattrs != null && xattrs.remove(name) != null;
    }

    /** The content of a regular file. */
    public FileContent content() {
        requireType(FileType.REGULAR);
        return content;
    }

    /** Replaces the content of a regular file. */
    public Node content(FileContent c) {
        requireType(FileType.REGULAR);
        this.content = Objects.requireNonNull(c, "content");
        return this;
    }

    /** The size of the data: content size for files, target length for symlinks, 0 otherwise. */
    public long size() {
        return switch (type) {
            case REGULAR -> content.size();
            case SYMLINK -> symlinkTarget.length;
            default -> 0;
        };
    }

    /** The target bytes of a symlink (a copy). */
    public byte[] symlinkTarget() {
        requireType(FileType.SYMLINK);
        return symlinkTarget.clone();
    }

    byte[] symlinkTargetRaw() {
        return symlinkTarget;
    }

    public int rdevMajor() {
        return rdevMajor;
    }

    public int rdevMinor() {
        return rdevMinor;
    }

    // ---- directories ----

    /** Children of a directory by name, in name order; unmodifiable. */
    public NavigableMap<byte[], Node> children() {
        requireType(FileType.DIRECTORY);
        return Collections.unmodifiableNavigableMap(children);
    }

    /** The child with this name, or null. */
    public Node child(byte[] name) {
        requireType(FileType.DIRECTORY);
        return children.get(name);
    }

    public Node child(String name) {
        return child(name.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Adds or replaces a child and returns it. The name must be 1-255 bytes without '/' or NUL and not "." or
     * "..". Putting a non-directory node under a second name makes a hard link.
     */
    public Node put(byte[] name, Node child) {
        requireType(FileType.DIRECTORY);
        checkName(name);
        Objects.requireNonNull(child, "child");
        children.put(name.clone(), child);
        return child;
    }

    public Node put(String name, Node child) {
        return put(name.getBytes(StandardCharsets.UTF_8), child);
    }

    /** Removes a child; returns it, or null if absent. */
    public Node remove(byte[] name) {
        requireType(FileType.DIRECTORY);
        return children.remove(name);
    }

    public Node remove(String name) {
        return remove(name.getBytes(StandardCharsets.UTF_8));
    }

    /** The child directory with this name, created (mode 0755, other fields zero) if absent. */
    public Node directory(byte[] name) {
        Node c = child(name);
        if (c == null) {
            return put(name, directory());
        }
        if (c.type != FileType.DIRECTORY) {
            throw new IllegalArgumentException("not a directory: " + new String(name, StandardCharsets.UTF_8));
        }
        return c;
    }

    public Node directory(String name) {
        return directory(name.getBytes(StandardCharsets.UTF_8));
    }

    /** Whether a name is acceptable in an EROFS directory. */
    public static boolean validName(byte[] name) {
        if (name.length == 0 || name.length > 255) {
            return false;
        }
        if (name[0] == '.' && (name.length == 1 || (name.length == 2 && name[1] == '.'))) {
            return false;
        }
        for (byte b : name) {
            if (b == '/' || b == 0) {
                return false;
            }
        }
        return true;
    }

    private static void checkName(byte[] name) {
        if (!validName(name)) {
            String shown = new String(name, StandardCharsets.UTF_8);
            if (name.length > 255) {
                throw new IllegalArgumentException("name over 255 bytes (" + name.length + "): " + shown);
            }
            throw new IllegalArgumentException("invalid name: \"" + shown + "\"");
        }
    }

    private void requireType(FileType t) {
        if (type != t) {
            throw new IllegalStateException("not a " + t.name().toLowerCase(java.util.Locale.ROOT) + ": " + type);
        }
    }

    /** Copies owner, permissions, mtime and xattrs from another node. */
    public Node copyAttributesFrom(Node other) {
        this.permissions = other.permissions;
        this.uid = other.uid;
        this.gid = other.gid;
        this.mtimeSeconds = other.mtimeSeconds;
        this.mtimeNanos = other.mtimeNanos;
        this.xattrs = other.xattrs == null ? null : new TreeMap<>(other.xattrs);
        return this;
    }

    Map<byte[], Node> childrenRaw() {
        return children;
    }

    @Override
    public String toString() {
        return "Node[" + type + " " + Integer.toOctalString(permissions) + " " + uid + ":" + gid + "]";
    }
}
