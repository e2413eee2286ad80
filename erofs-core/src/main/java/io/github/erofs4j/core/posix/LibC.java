package io.github.erofs4j.core.posix;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;

/** The C library functions {@link Posix} binds; paths and names are NUL-terminated bytes. */
interface LibC extends Library {
    int lsetxattr(byte[] path, byte[] name, byte[] value, NativeLong size, int flags) throws LastErrorException;

    NativeLong lgetxattr(byte[] path, byte[] name, byte[] value, NativeLong size) throws LastErrorException;

    NativeLong llistxattr(byte[] path, byte[] list, NativeLong size) throws LastErrorException;

    int lremovexattr(byte[] path, byte[] name) throws LastErrorException;

    int mknod(byte[] path, int mode, long dev) throws LastErrorException;

    int utimensat(int dirfd, byte[] path, Pointer times, int flags) throws LastErrorException;

    int truncate(byte[] path, long length) throws LastErrorException;

    int umask(int mask);

    int geteuid();
}
