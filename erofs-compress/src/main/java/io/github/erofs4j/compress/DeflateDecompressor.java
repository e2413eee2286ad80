package io.github.erofs4j.compress;

import io.github.erofs4j.core.format.Erofs;
import io.github.erofs4j.core.spi.CodecConfig;
import io.github.erofs4j.core.spi.Decompressor;
import io.github.erofs4j.core.spi.DecompressorProvider;
import java.io.IOException;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Raw DEFLATE decoding with {@link Inflater} ({@code nowrap}). The JDK's inflater always accepts a 32 KiB window;
 * the image's {@code windowbits} (at most 15) is checked but streams using a longer distance than it allows are
 * not rejected.
 */
public final class DeflateDecompressor implements Decompressor, DecompressorProvider {

    /** The provider form (used by {@link java.util.ServiceLoader}). */
    public DeflateDecompressor() {}

    @Override
    public int algorithmId() {
        return Erofs.ALG_DEFLATE;
    }

    @Override
    public String name() {
        return "deflate";
    }

    @Override
    public Decompressor create(CodecConfig config) throws IOException {
        if (config.windowSize() > 32768) {
            throw new IOException("deflate window of " + config.windowSize() + " bytes is larger than 32 KiB");
        }
        return this;
    }

    @Override
    public void decompress(byte[] src, int srcOff, int srcLen, byte[] dst, int dstOff, int dstLen, boolean partial)
            throws IOException {
        java.util.Objects.checkFromIndexSize(srcOff, srcLen, src.length);
        java.util.Objects.checkFromIndexSize(dstOff, dstLen, dst.length);
        Inflater inf = new Inflater(true);
        try {
            inf.setInput(src, srcOff, srcLen);
            int done = 0;
            while (done < dstLen) {
                int n = inf.inflate(dst, dstOff + done, dstLen - done);
                done += n;
                if (n == 0) {
                    if (inf.finished()) {
                        throw new IOException("deflate stream ends after " + done + " of " + dstLen + " bytes");
                    }
                    if (inf.needsInput()) {
                        throw new IOException("deflate stream is truncated after " + done + " of " + dstLen
                                + " bytes");
                    }
                    if (inf.needsDictionary()) {
                        throw new IOException("deflate stream asks for a preset dictionary");
                    }
                }
            }
            if (!partial && !inf.finished()) {
                byte[] probe = new byte[1];
                int n = inf.inflate(probe);
                if (n != 0) {
                    throw new IOException("deflate stream decodes to more than " + dstLen + " bytes");
                }
                if (!inf.finished()) {
                    throw new IOException("deflate stream does not end after " + dstLen + " bytes");
                }
            }
        } catch (DataFormatException e) {
            throw new IOException("malformed deflate stream: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new IOException("malformed deflate stream: " + e, e);
        } finally {
            inf.end();
        }
    }
}
