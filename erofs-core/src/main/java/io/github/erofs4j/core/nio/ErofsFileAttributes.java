package io.github.erofs4j.core.nio;

import io.github.erofs4j.core.read.ErofsInode;
import io.github.erofs4j.core.FileType;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.UserPrincipal;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The attributes of one inode: basic and POSIX, plus the "unix" view's extra fields. Immutable: a snapshot of
 * the (immutable) inode.
 */
final class ErofsFileAttributes implements PosixFileAttributes {
    private final ErofsInode inode;

    ErofsFileAttributes(ErofsInode inode) {
        this.inode = inode;
    }

    ErofsInode inode() {
        return inode;
    }

    @Override
    public FileTime lastModifiedTime() {
        return FileTime.from(inode.mtime());
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
        return inode.type() == FileType.REGULAR;
    }

    @Override
    public boolean isDirectory() {
        return inode.type() == FileType.DIRECTORY;
    }

    @Override
    public boolean isSymbolicLink() {
        return inode.type() == FileType.SYMLINK;
    }

    @Override
    public boolean isOther() {
        return !isRegularFile() && !isDirectory() && !isSymbolicLink();
    }

    @Override
    public long size() {
        return inode.size();
    }

    @Override
    public Object fileKey() {
        return inode.nid();
    }

    @Override
    public UserPrincipal owner() {
        return new Principal(Long.toString(inode.uid()), false);
    }

    @Override
    public GroupPrincipal group() {
        return new Principal(Long.toString(inode.gid()), true);
    }

    @Override
    public Set<PosixFilePermission> permissions() {
        Set<PosixFilePermission> out = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] order = {
            PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
            PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
            PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ
        };
        int mode = inode.mode();
        for (int i = 0; i < order.length; i++) {
            if ((mode & (1 << i)) != 0) {
                out.add(order[i]);
            }
        }
        return out;
    }

    /** {@code st_rdev} in the glibc encoding the JDK's "unix" view reports. */
    long rdev() {
        long major = inode.rdevMajor() & 0xFFFFFFFFL;
        long minor = inode.rdevMinor() & 0xFFFFFFFFL;
        return ((major & 0xFFFFF000L) << 32) | ((major & 0xFFFL) << 8) | ((minor & 0xFFFFFF00L) << 12)
                | (minor & 0xFFL);
    }

    /** Every attribute of a view ("basic", "posix", "unix" or "owner") by name. */
    Map<String, Object> asMap(String view) {
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
        m.put("mode", inode.mode());
        m.put("ino", inode.nid());
        m.put("dev", 0L);
        m.put("rdev", rdev());
        m.put("nlink", (int) Math.min(Integer.MAX_VALUE, inode.nlink()));
        m.put("uid", (int) inode.uid());
        m.put("gid", (int) inode.gid());
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
