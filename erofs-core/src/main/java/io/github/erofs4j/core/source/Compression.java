package io.github.erofs4j.core.source;

import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;

/** Compression formats recognised by their leading bytes, as the kernel recognises initramfs members. */
public enum Compression {
    NONE, GZIP, XZ, ZSTD, LZ4_FRAME, LZ4_LEGACY, BZIP2, LZMA;

    /** Bytes needed by {@link #detect}. */
    static final int MAGIC_BYTES = 6;

    /** The compression whose magic starts {@code head}, or NONE. */
    public static Compression detect(byte[] head, int n) {
        if (n >= 2 && (head[0] & 0xFF) == 0x1F && ((head[1] & 0xFF) == 0x8B || (head[1] & 0xFF) == 0x9E)) {
            return GZIP;
        }
        if (n >= 6 && (head[0] & 0xFF) == 0xFD && head[1] == '7' && head[2] == 'z' && head[3] == 'X'
                && head[4] == 'Z' && head[5] == 0) {
            return XZ;
        }
        if (n >= 4 && (head[0] & 0xFF) == 0x28 && (head[1] & 0xFF) == 0xB5 && (head[2] & 0xFF) == 0x2F
                && (head[3] & 0xFF) == 0xFD) {
            return ZSTD;
        }
        if (n >= 4 && head[0] == 0x04 && head[1] == 0x22 && head[2] == 0x4D && head[3] == 0x18) {
            return LZ4_FRAME;
        }
        if (n >= 4 && head[0] == 0x02 && head[1] == 0x21 && head[2] == 0x4C && head[3] == 0x18) {
            return LZ4_LEGACY;
        }
        if (n >= 3 && head[0] == 'B' && head[1] == 'Z' && head[2] == 'h') {
            return BZIP2;
        }
        if (n >= 3 && (head[0] & 0xFF) == 0x5D && head[1] == 0 && head[2] == 0) {
            return LZMA;
        }
        return NONE;
    }

    /**
     * A stream decompressing all of {@code in} (for whole-file inputs such as a tarball). The stream may read
     * ahead of the end of the compressed data.
     */
    InputStream open(InputStream in) throws IOException {
        try {
            return switch (this) {
                case NONE -> in;
                case GZIP -> new GZIPInputStream(in, 65536);
                case XZ -> Decoders.xz(in);
                case LZMA -> Decoders.lzma(in);
                case ZSTD -> Decoders.zstd(in);
                case LZ4_FRAME -> Decoders.lz4Frame(in);
                case LZ4_LEGACY -> Decoders.lz4Legacy(in);
                case BZIP2 -> Decoders.bzip2(in);
            };
        } catch (NoClassDefFoundError e) {
            throw missing(e);
        }
    }

    /**
     * The decoders of the optional libraries, apart so that verifying {@link #open} does not load their classes:
     * a directory source would otherwise open the xz, zstd, lz4 and commons-compress jars for nothing.
     */
    private static final class Decoders {
        static InputStream xz(InputStream in) throws IOException {
            return new org.tukaani.xz.XZInputStream(in);
        }

        static InputStream lzma(InputStream in) throws IOException {
            return new org.tukaani.xz.LZMAInputStream(in);
        }

        static InputStream zstd(InputStream in) throws IOException {
            return new com.github.luben.zstd.ZstdInputStreamNoFinalizer(in).setContinuous(false);
        }

        static InputStream lz4Frame(InputStream in) throws IOException {
            return new net.jpountz.lz4.LZ4FrameInputStream(in);
        }

        static InputStream lz4Legacy(InputStream in) throws IOException {
            return new Lz4Legacy(in);
        }

        static InputStream bzip2(InputStream in) throws IOException {
            return new org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream(in, true);
        }
    }

    /** The library a format needs, for the error when it is absent. */
    String library() {
        return switch (this) {
            case XZ, LZMA -> "org.tukaani:xz";
            case ZSTD -> "com.github.luben:zstd-jni";
            case LZ4_FRAME, LZ4_LEGACY -> "at.yawk.lz4:lz4-java";
            case BZIP2 -> "org.apache.commons:commons-compress";
            default -> "the JDK";
        };
    }

    IOException missing(Throwable e) {
        return new IOException(name().toLowerCase(java.util.Locale.ROOT) + " input needs " + library()
                + " on the class or module path", e);
    }
}
