package io.github.erofs4j.compress;

import com.github.luben.zstd.ZstdDecompressCtx;
import io.github.erofs4j.core.format.Erofs;
import io.github.erofs4j.core.spi.CodecConfig;
import io.github.erofs4j.core.spi.Decompressor;
import io.github.erofs4j.core.spi.DecompressorProvider;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Zstandard decoding with zstd-jni. Exactly one frame per pcluster; the frame's window may not exceed the image's
 * configured window (at most 1 MiB), which also bounds the decoder's memory.
 */
public final class ZstdDecompressor implements Decompressor, DecompressorProvider {

    private final int windowLog;

    /** The provider form (used by {@link java.util.ServiceLoader}). */
    public ZstdDecompressor() {
        this(20);
    }

    private ZstdDecompressor(int windowLog) {
        this.windowLog = windowLog;
    }

    @Override
    public int algorithmId() {
        return Erofs.ALG_ZSTD;
    }

    @Override
    public String name() {
        return "zstd";
    }

    @Override
    public Decompressor create(CodecConfig config) throws IOException {
        int w = config.windowSize();
        if (w > (1 << 20)) {
            throw new IOException("zstd window of " + w + " bytes is larger than 1 MiB");
        }
        // zstd cannot limit the window below 1 KiB (ZSTD_WINDOWLOG_ABSOLUTEMIN = 10).
        int log = Math.max(10, 32 - Integer.numberOfLeadingZeros(w - 1));
        return new ZstdDecompressor(log);
    }

    @Override
    public void decompress(byte[] src, int srcOff, int srcLen, byte[] dst, int dstOff, int dstLen, boolean partial)
            throws IOException {
        java.util.Objects.checkFromIndexSize(srcOff, srcLen, src.length);
        java.util.Objects.checkFromIndexSize(dstOff, dstLen, dst.length);
        ByteBuffer in = ByteBuffer.wrap(src, srcOff, srcLen);
        ByteBuffer out = ByteBuffer.wrap(dst, dstOff, dstLen);
        try (ZstdDecompressCtx ctx = new ZstdDecompressCtx()) {
            ctx.setLongMax(windowLog);
            boolean frameDone = false;
            while (out.hasRemaining()) {
                int inBefore = in.position();
                int outBefore = out.position();
                frameDone = ctx.decompressByteBufferStream(out, in);
                if (frameDone) {
                    break;
                }
                if (in.position() == inBefore && out.position() == outBefore) {
                    throw new IOException("zstd frame is truncated after " + (out.position() - dstOff) + " of "
                            + dstLen + " bytes");
                }
            }
            int produced = out.position() - dstOff;
            if (produced != dstLen) {
                throw new IOException("zstd frame ends after " + produced + " of " + dstLen + " bytes");
            }
            if (!partial && !frameDone) {
                byte[] probe = new byte[1];
                ByteBuffer p = ByteBuffer.wrap(probe);
                for (int guard = 0; guard < 1 << 20 && !frameDone; guard++) {
                    int inBefore = in.position();
                    frameDone = ctx.decompressByteBufferStream(p, in);
                    if (p.position() != 0) {
                        throw new IOException("zstd frame decodes to more than " + dstLen + " bytes");
                    }
                    if (!frameDone && in.position() == inBefore) {
                        throw new IOException("zstd frame does not end after " + dstLen + " bytes");
                    }
                }
            }
        } catch (RuntimeException e) {
            throw new IOException("malformed zstd frame: " + e.getMessage(), e);
        }
    }
}
