package io.github.erofs4j.initramfs;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.cpio.CpioArchiveEntry;
import org.apache.commons.compress.archivers.cpio.CpioArchiveOutputStream;
import org.apache.commons.compress.archivers.cpio.CpioConstants;

/** Small initramfs pieces for tests. */
final class Samples {
    private Samples() {}

    /** A directory (null data) or regular file. */
    record Entry(String name, byte[] data) { }

    static byte[] newc(List<Entry> entries) throws IOException {
        ByteArrayOutputStream bo = new ByteArrayOutputStream();
        try (CpioArchiveOutputStream c = new CpioArchiveOutputStream(bo, CpioConstants.FORMAT_NEW, 512,
                "US-ASCII")) {
            long ino = 1;
            for (Entry e : entries) {
                CpioArchiveEntry ce = new CpioArchiveEntry(CpioConstants.FORMAT_NEW, e.name(),
                        e.data() == null ? 0 : e.data().length);
                ce.setMode(e.data() == null ? CpioConstants.C_ISDIR | 0755 : CpioConstants.C_ISREG | 0755);
                ce.setInode(ino++);
                ce.setNumberOfLinks(e.data() == null ? 2 : 1);
                c.putArchiveEntry(ce);
                if (e.data() != null) {
                    c.write(e.data());
                }
                c.closeArchiveEntry();
            }
        }
        return bo.toByteArray();
    }

    static byte[] gzip(byte[] b) throws IOException {
        ByteArrayOutputStream bo = new ByteArrayOutputStream();
        try (GZIPOutputStream g = new GZIPOutputStream(bo)) {
            g.write(b);
        }
        return bo.toByteArray();
    }

    static byte[] xz(byte[] b) throws IOException {
        ByteArrayOutputStream bo = new ByteArrayOutputStream();
        try (org.tukaani.xz.XZOutputStream x = new org.tukaani.xz.XZOutputStream(bo,
                new org.tukaani.xz.LZMA2Options())) {
            x.write(b);
        }
        return bo.toByteArray();
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream bo = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            bo.writeBytes(p);
        }
        return bo.toByteArray();
    }
}
