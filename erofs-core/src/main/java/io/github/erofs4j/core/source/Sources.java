package io.github.erofs4j.core.source;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Opens any supported input with its kind detected by content: a directory, a tarball or a cpio archive, plain
 * or compressed (gzip, xz, lzma, zstd, lz4, bzip2).
 */
public final class Sources {
    private Sources() {}

    /** Reads a directory, or a file holding a tar or cpio archive; {@code kind} null means detect. */
    public static SourceTree load(Path source, SourceKind kind, SourceOptions options) throws IOException {
        // The source itself may be a symlink (to a directory or an archive); nothing below it is followed.
        if (Files.isDirectory(source) && (kind == null || kind == SourceKind.DIRECTORY)) {
            return new SourceTree(DirectorySource.read(source.toRealPath(), options), null, SourceKind.DIRECTORY,
                    Compression.NONE);
        }
        if (kind == SourceKind.DIRECTORY) {
            throw new IOException(source + ": not a directory");
        }
        try (InputStream in = Files.newInputStream(source)) {
            try {
                return load(in, kind, options);
            } catch (IOException e) {
                throw new IOException(source + ": " + e.getMessage(), e);
            }
        }
    }

    /** Reads an archive from a stream (for example standard input); {@code kind} null means detect. */
    public static SourceTree load(InputStream raw, SourceKind kind, SourceOptions options) throws IOException {
        BufferedInputStream in = new BufferedInputStream(raw, 1 << 16);
        in.mark(16);
        byte[] head = in.readNBytes(Compression.MAGIC_BYTES);
        in.reset();
        Compression c = Compression.detect(head, head.length);
        if (kind == SourceKind.CPIO || (kind == null && c == Compression.NONE && isCpio(head))) {
            SourceTree t = CpioSource.read(in, options);
            return new SourceTree(t.tree(), t, SourceKind.CPIO, c);
        }
        // Look inside the compression to tell tar from cpio, then start again from the first byte.
        in.mark(4 << 20);
        byte[] inner;
        InputStream peek = c.open(new java.io.FilterInputStream(in) {
            @Override
            public void close() {
                // keep the underlying stream open
            }
        });
        inner = peek.readNBytes(512);
        in.reset();
        if (kind == null && isCpio(inner)) {
            SourceTree t = CpioSource.read(in, options);
            return new SourceTree(t.tree(), t, SourceKind.CPIO, c);
        }
        InputStream dec = c.open(in);
        if (kind == null && !isTar(inner)) {
            throw new IOException("neither a directory, a tar archive nor a cpio archive"
                    + (c == Compression.NONE ? "" : " (inside " + c.name().toLowerCase(java.util.Locale.ROOT)
                    + " compression)"));
        }
        return Spool.read(options, SourceKind.TAR, c, (tree, spool) -> TarSource.read(dec, tree, spool, options));
    }

    static boolean isCpio(byte[] h) {
        return h.length >= 6 && h[0] == '0' && h[1] == '7' && h[2] == '0' && h[3] == '7' && h[4] == '0'
                && (h[5] == '1' || h[5] == '2');
    }

    static boolean isTar(byte[] h) {
        if (h.length < 512) {
            return false;
        }
        if (h[257] == 'u' && h[258] == 's' && h[259] == 't' && h[260] == 'a' && h[261] == 'r') {
            return true;
        }
        // Old-style tar: the header checksum (octal at 148) equals the byte sum with the field as spaces.
        long sum = 0;
        for (int i = 0; i < 512; i++) {
            sum += (i >= 148 && i < 156) ? ' ' : h[i] & 0xFF;
        }
        String field = new String(h, 148, 8, java.nio.charset.StandardCharsets.US_ASCII).replace('\0', ' ').trim();
        try {
            return !field.isEmpty() && Long.parseLong(field, 8) == sum;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
