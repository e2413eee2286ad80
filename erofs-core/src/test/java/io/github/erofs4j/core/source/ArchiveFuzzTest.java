package io.github.erofs4j.core.source;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.github.erofs4j.core.testing.KernelTools;
import io.github.erofs4j.core.write.ErofsWriter;
import io.github.erofs4j.core.write.WriteOptions;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;

/**
 * Coverage-guided fuzzing of the tar and cpio sources behind every compression wrapper. The first byte of an input
 * picks how the rest is fed: as it is (the compression and the archive kind are detected, so the decoders meet
 * damaged compressed streams too), as a cpio archive, or as an archive wrapped by one of gzip, xz, lzma, zstd, lz4
 * (frame and legacy) and bzip2 here, so that mutations reach the archive readers behind each decoder. A tree that
 * loads is then written as an image. Every outcome is a tree and an image, or an {@link IOException}; another
 * exception, a hang or an {@link OutOfMemoryError} is a finding, and so is a failed write that leaves a file.
 */
class ArchiveFuzzTest {
    @FuzzTest(maxDuration = "10m")
    void load(byte[] input) throws IOException {
        if (input.length == 0) {
            return;
        }
        int mode = (input[0] & 0xFF) % 10;
        byte[] body = Arrays.copyOfRange(input, 1, input.length);
        byte[] stream = mode <= 1 ? body : wrap(mode, body);
        SourceKind kind = mode == 1 ? SourceKind.CPIO : null;
        Path dir = Files.createTempDirectory("erofs4j-fuzz");
        try {
            SourceOptions opts = SourceOptions.builder().spoolDirectory(dir).workers(1).build();
            try (SourceTree t = Sources.load(new ByteArrayInputStream(stream), kind, opts)) {
                Path img = dir.resolve("x.erofs");
                try {
                    ErofsWriter.write(t.tree(), img, WriteOptions.builder().workers(1).buildTime(0).build());
                } catch (IOException e) {
                    if (Files.exists(img)) {
                        throw new AssertionError("a failed write left " + img, e);
                    }
                }
            } catch (IOException expected) {
                // a clean rejection
            }
        } finally {
            KernelTools.deleteTree(dir);
        }
    }

    /** Wraps {@code body} in the compression {@code mode} names (2..9). */
    static byte[] wrap(int mode, byte[] body) throws IOException {
        ByteArrayOutputStream bo = new ByteArrayOutputStream();
        if (mode == 7) {
            // Legacy lz4: magic, then (u32 size, block) pairs; one block is enough for a fuzz input.
            byte[] z = net.jpountz.lz4.LZ4Factory.safeInstance().fastCompressor().compress(body);
            bo.write(new byte[] {0x02, 0x21, 0x4C, 0x18});
            bo.write(new byte[] {(byte) z.length, (byte) (z.length >> 8), (byte) (z.length >> 16),
                (byte) (z.length >>> 24)});
            bo.write(z);
            return bo.toByteArray();
        }
        try (OutputStream o = switch (mode) {
            case 2 -> new GZIPOutputStream(bo);
            case 3 -> new org.tukaani.xz.XZOutputStream(bo, new org.tukaani.xz.LZMA2Options(0));
            case 4 -> new org.tukaani.xz.LZMAOutputStream(bo, new org.tukaani.xz.LZMA2Options(0), -1);
            case 5 -> new com.github.luben.zstd.ZstdOutputStream(bo, 1);
            case 6 -> new net.jpountz.lz4.LZ4FrameOutputStream(bo);
            case 8 -> new org.apache.commons.compress.compressors.bzip2.BZip2CompressorOutputStream(bo, 1);
            default -> bo; // 9: as it is, detected like mode 0 but kept for a tenth of the inputs
        }) {
            o.write(body);
        }
        return bo.toByteArray();
    }
}
