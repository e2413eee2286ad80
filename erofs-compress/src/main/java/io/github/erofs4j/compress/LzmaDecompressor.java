package io.github.erofs4j.compress;

import io.github.erofs4j.core.format.Erofs;
import io.github.erofs4j.core.spi.CodecConfig;
import io.github.erofs4j.core.spi.Decompressor;
import io.github.erofs4j.core.spi.DecompressorProvider;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import org.tukaani.xz.LZMAInputStream;

/**
 * MicroLZMA decoding with XZ for Java's raw LZMA1 decoder.
 *
 * <p>A MicroLZMA stream is a raw LZMA1 range-coded stream without header or end marker whose first byte (always
 * 0x00 in a plain stream) is replaced by the bitwise NOT of the lc/lp/pb properties byte. The dictionary size
 * comes from the image's configuration record; the compressed and uncompressed sizes from the index. Decoding
 * puts the 0x00 back and hands the stream, its properties and its exact output size to {@link LZMAInputStream}.
 */
public final class LzmaDecompressor implements Decompressor, DecompressorProvider {

    private final int dictSize;

    /** The provider form (used by {@link java.util.ServiceLoader}). */
    public LzmaDecompressor() {
        this(8 << 20);
    }

    private LzmaDecompressor(int dictSize) {
        this.dictSize = dictSize;
    }

    @Override
    public int algorithmId() {
        return Erofs.ALG_LZMA;
    }

    @Override
    public String name() {
        return "lzma";
    }

    @Override
    public Decompressor create(CodecConfig config) throws IOException {
        if (config.windowSize() > LZMAInputStream.DICT_SIZE_MAX) {
            throw new IOException("LZMA dictionary of " + config.windowSize() + " bytes is too large");
        }
        return new LzmaDecompressor(config.windowSize());
    }

    @Override
    public void decompress(byte[] src, int srcOff, int srcLen, byte[] dst, int dstOff, int dstLen, boolean partial)
            throws IOException {
        java.util.Objects.checkFromIndexSize(srcOff, srcLen, src.length);
        java.util.Objects.checkFromIndexSize(dstOff, dstLen, dst.length);
        if (srcLen < 1) {
            throw new IOException("empty MicroLZMA stream");
        }
        int props = ~src[srcOff] & 0xFF;
        if (props >= 9 * 5 * 5) {
            throw new IOException("invalid MicroLZMA properties byte 0x" + Integer.toHexString(props));
        }
        byte[] stream = java.util.Arrays.copyOfRange(src, srcOff, srcOff + srcLen);
        stream[0] = 0;
        // References never reach before the start of the output, so a dictionary as large as the output is enough
        // and bounds memory by what the caller asked for.
        int dict = Math.max(4096, Math.min(dictSize, dstLen));
        ByteArrayInputStream in = new ByteArrayInputStream(stream);
        // The codec's own failures are translated here; the checks of what it decoded come after, outside the try.
        int n;
        boolean longer = false;
        int left = 0;
        try (LZMAInputStream lz = new LZMAInputStream(in, partial ? -1 : dstLen, (byte) props, dict)) {
            n = lz.readNBytes(dst, dstOff, dstLen);
            if (n == dstLen && !partial) {
                longer = lz.read() != -1;
                left = in.available();
            }
        } catch (IOException e) {
            throw new IOException("malformed MicroLZMA stream: " + e, e);
        } catch (RuntimeException e) {
            throw new IOException("malformed MicroLZMA stream: " + e, e);
        }
        if (n != dstLen) {
            throw new IOException("MicroLZMA stream ends after " + n + " of " + dstLen + " bytes");
        }
        if (longer) {
            throw new IOException("MicroLZMA stream decodes to more than " + dstLen + " bytes");
        }
        if (left != 0) {
            throw new IOException("MicroLZMA stream ends " + left + " bytes before its pcluster");
        }
    }
}
