package io.github.erofs4j.core.internal;

import io.github.erofs4j.core.FileType;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.UserPrincipal;
import java.time.Instant;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The basic and POSIX attributes of a file of a read-only file system, plus the "unix" view's extra fields, made
 * from the few numbers an inode holds. Subclasses are immutable snapshots.
 */
public abstract class PosixAttributes implements PosixFileAttributes {
    private static final PosixFilePermission[] BITS = {
        PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
        PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
        PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ
    };

    protected PosixAttributes() {}

    protected abstract FileType type();

    /** The full st_mode. */
    protected abstract int mode();

    protected abstract long uid();

    protected abstract long gid();

    protected abstract Instant mtime();

    /** The inode number the "unix" view reports. */
    protected abstract long ino();

    protected abstract long nlink();

    protected abstract int rdevMajor();

    protected abstract int rdevMinor();

    @Override
    public FileTime lastModifiedTime() {
        return FileTime.from(mtime());
    }

    @Override
    public FileTime lastAccessTime() {
        return lastModifiedTime();
    }

    @Override
    public FileTime creationTime() {
        return lastModifiedTime();
    }

    @Override
    public boolean isRegularFile() {
        return type() == FileType.REGULAR;
    }

    @Override
    public boolean isDirectory() {
        return type() == FileType.DIRECTORY;
    }

    @Override
    public boolean isSymbolicLink() {
        return type() == FileType.SYMLINK;
    }

    @Override
    public boolean isOther() {
        return !isRegularFile() && !isDirectory() && !isSymbolicLink();
    }

    @Override
    public UserPrincipal owner() {
        return new Principal(Long.toString(uid()), false);
    }

    @Override
    public GroupPrincipal group() {
        return new Principal(Long.toString(gid()), true);
    }

    @Override
    public Set<PosixFilePermission> permissions() {
        Set<PosixFilePermission> out = EnumSet.noneOf(PosixFilePermission.class);
        int mode = mode();
        for (int i = 0; i < BITS.length; i++) {
            if ((mode & (1 << i)) != 0) {
                out.add(BITS[i]);
            }
        }
        return out;
    }

    /** {@code st_rdev} in the glibc encoding the JDK's "unix" view reports. */
    public final long rdev() {
        long major = rdevMajor() & 0xFFFFFFFFL;
        long minor = rdevMinor() & 0xFFFFFFFFL;
        return ((major & 0xFFFFF000L) << 32) | ((major & 0xFFFL) << 8) | ((minor & 0xFFFFFF00L) << 12)
                | (minor & 0xFFL);
    }

    /** Every attribute of a view ("basic", "posix", "unix" or "owner") by name. */
    public final Map<String, Object> asMap(String view) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (view.equals("owner")) {
            m.put("owner", owner());
            return m;
        }
        m.put("lastModifiedTime", lastModifiedTime());
        m.put("lastAccessTime", lastAccessTime());
        m.put("creationTime", creationTime());
        m.put("size", size());
        m.put("isRegularFile", isRegularFile());
        m.put("isDirectory", isDirectory());
        m.put("isSymbolicLink", isSymbolicLink());
        m.put("isOther", isOther());
        m.put("fileKey", fileKey());
        if (view.equals("basic")) {
            return m;
        }
        m.put("owner", owner());
        m.put("group", group());
        m.put("permissions", permissions());
        if (view.equals("posix")) {
            return m;
        }
        m.put("mode", mode());
        m.put("ino", ino());
        m.put("dev", 0L);
        m.put("rdev", rdev());
        m.put("nlink", (int) Math.min(Integer.MAX_VALUE, nlink()));
        m.put("uid", (int) uid());
        m.put("gid", (int) gid());
        m.put("ctime", lastModifiedTime());
        return m;
    }

    /** A numeric user or group, named by its decimal id. */
    record Principal(String name, boolean isGroup) implements GroupPrincipal {
        @Override
        public String getName() {
            return name;
        }

        @Override
        public String toString() {
            return name;
        }
    }
}
