package io.github.erofs4j.compress;

import io.github.erofs4j.core.format.Erofs;
import io.github.erofs4j.core.spi.Compressor;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Objects;
import org.tukaani.xz.ArrayCache;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.LZMAOutputStream;
import org.tukaani.xz.UnsupportedOptionsException;

/**
 * The MicroLZMA encoder: XZ for Java's LZMA1 encoder chooses the symbols, {@link LzmaCutter} ends the stream where
 * the destination is full.
 *
 * <p>XZ for Java exports only its stream API, so the encoder cannot be asked to stop at an output size. Instead the
 * input goes into a raw {@link LZMAOutputStream} (no header, no end marker) a piece at a time until the stream
 * written so far is longer than the destination (by a margin), or the input ends (then the stream is finished);
 * when it is too long it is re-encoded symbol by symbol up to the last symbol that fits. Every byte the range coder
 * has written belongs to symbols already chosen, so a stream longer than the destination holds all the symbols
 * needed, and the input the encoder still holds back to look ahead (4 KiB and more) is never encoded. The first byte
 * (0x00 in every raw stream) then becomes the bitwise NOT of the lc/lp/pb properties byte.
 *
 * <p>Levels are mkfs.erofs's: 0 to 9 are the xz presets, 100 to 109 the same presets with xz's "extreme" search
 * (the normal parser with the binary-tree match finder and longer matches). Not thread-safe; it keeps its match
 * finder's arrays from call to call where a stream was finished.
 */
final class LzmaEncoder implements Compressor {
    /** The dictionary sizes the kernel accepts. */
    static final int MIN_DICT = 4096;
    static final int MAX_DICT = 8 << 20;

    /**
     * Stream bytes past the capacity after which the stream written so far holds every symbol the cut keeps and
     * all the bytes the cut reads to decode them: the decoder reads 4 bytes ahead, and no symbol takes 64 bytes.
     */
    private static final int CUT_MARGIN = 64;

    /** The smallest piece of input given to the encoder at once, after the first. */
    private static final int MIN_STEP = 4 << 10;

    private final int level;
    private final int dictSize;
    private final LZMA2Options options;
    private final int props;
    /** The input the encoder holds back to look ahead before it encodes a symbol (XZ for Java's keep-after). */
    private final int lookahead;
    private final LzmaCutter cutter = new LzmaCutter();
    private final ReusingCache arrays = new ReusingCache();
    private final Sink sink = new Sink();

    LzmaEncoder(int level, int dictSize) {
        if (dictSize < MIN_DICT || dictSize > MAX_DICT) {
            throw new IllegalArgumentException("lzma dictionary size must be from " + MIN_DICT + " to " + MAX_DICT
                    + " bytes: " + dictSize);
        }
        boolean extreme = level >= 100;
        int preset = extreme ? level - 100 : level;
        if (preset < 0 || preset > 9) {
            throw new IllegalArgumentException("lzma levels are 0 to 9 and 100 to 109: " + level);
        }
        this.level = level;
        this.dictSize = dictSize;
        try {
            options = new LZMA2Options(preset);
            if (extreme) {
                boolean shorter = preset == 3 || preset == 5;
                options.setMode(LZMA2Options.MODE_NORMAL);
                options.setMatchFinder(LZMA2Options.MF_BT4);
                options.setNiceLen(shorter ? 192 : LZMA2Options.NICE_LEN_MAX);
                options.setDepthLimit(shorter ? 0 : 512);
            }
        } catch (UnsupportedOptionsException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        props = (options.getPb() * 5 + options.getLp()) * 9 + options.getLc();
        lookahead = (options.getMode() == LZMA2Options.MODE_NORMAL ? 4096 : 272) + options.getNiceLen();
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
    public int level() {
        return level;
    }

    /** The dictionary size the streams are written for, which the image's lzma configuration record states. */
    @Override
    public int windowSize() {
        return dictSize;
    }

    int dictSize() {
        return dictSize;
    }

    /**
     * {@inheritDoc} The bound is the LZMA SDK's for raw LZMA, a third more than the input plus 128 bytes: a literal
     * costs at most a few bits more than its eight, and a match is chosen only where it costs less than literals.
     */
    @Override
    public int maxCompressedLength(int srcLen) {
        if (srcLen < 0 || srcLen > 0x5FFFFF00) {
            throw new IllegalArgumentException("input length out of range: " + srcLen);
        }
        return srcLen + srcLen / 3 + 128;
    }

    @Override
    public int compressDestSize(byte[] src, int srcOff, int srcLen, byte[] dst, int dstOff, int dstCapacity,
            int[] srcConsumed) {
        return compressDestSize(src, srcOff, srcLen, dst, dstOff, dstCapacity, srcConsumed, 0);
    }

    /**
     * {@inheritDoc} The guess sizes the first piece of input given to the encoder, so that less input is encoded
     * past the point where the destination fills.
     */
    @Override
    public int compressDestSize(byte[] src, int srcOff, int srcLen, byte[] dst, int dstOff, int dstCapacity,
            int[] srcConsumed, int expectedConsumed) {
        Objects.checkFromIndexSize(srcOff, srcLen, src.length);
        Objects.checkFromIndexSize(dstOff, dstCapacity, dst.length);
        Objects.checkIndex(0, srcConsumed.length);
        if (dstCapacity < LzmaCutter.EMPTY_STREAM) {
            srcConsumed[0] = 0;
            return 0;
        }
        int fed = encode(src, srcOff, srcLen, dstCapacity, expectedConsumed);
        int n;
        if (sink.count <= dstCapacity) {
            System.arraycopy(sink.buf, 0, dst, dstOff, sink.count);
            srcConsumed[0] = fed;
            n = sink.count;
        } else {
            n = cutter.cut(sink.buf, sink.count, options.getLc(), options.getLp(), options.getPb(), src, srcOff, fed,
                    dst, dstOff, dstCapacity, srcConsumed);
        }
        dst[dstOff] = (byte) ~props;
        return n;
    }

    @Override
    public int compress(byte[] src, int srcOff, int srcLen, byte[] dst, int dstOff, int dstCapacity) {
        Objects.checkFromIndexSize(srcOff, srcLen, src.length);
        Objects.checkFromIndexSize(dstOff, dstCapacity, dst.length);
        if (dstCapacity < LzmaCutter.EMPTY_STREAM) {
            return -1;
        }
        int fed = encode(src, srcOff, srcLen, dstCapacity, 0);
        if (fed < srcLen || sink.count > dstCapacity) {
            return -1;
        }
        System.arraycopy(sink.buf, 0, dst, dstOff, sink.count);
        dst[dstOff] = (byte) ~props;
        return sink.count;
    }

    /**
     * Encodes a prefix of the input into {@link #sink}: all of it, or pieces of it until the stream is longer than
     * {@code capacity}. The first piece is the caller's guess of the prefix that fits, with a sixteenth more and
     * the encoder's look-ahead (or twice the capacity without a guess), and each further one is sized from the ratio reached so far, so that little input is encoded
     * past the point where the destination fills. How the input is cut into pieces depends only on the arguments.
     *
     * @return the length of the prefix encoded
     */
    private int encode(byte[] src, int srcOff, int srcLen, int capacity, int expected) {
        sink.count = 0;
        try {
            // The dictionary need not be larger than the input; a smaller one keeps the match finder's tables small.
            long fitting = Long.highestOneBit(Math.max(1, srcLen - 1)) << 1;
            options.setDictSize((int) Math.min(dictSize, Math.max(MIN_DICT, fitting)));
            LZMAOutputStream out = new LZMAOutputStream(sink, options, false, arrays);
            int fed = 0;
            int step = expected > 0 ? expected + (expected >> 4) + lookahead : Math.max(MIN_STEP, capacity * 2);
            while (fed < srcLen) {
                int n = Math.min(step, srcLen - fed);
                out.write(src, srcOff + fed, n);
                fed += n;
                if (sink.count > capacity + CUT_MARGIN) {
                    // Every symbol the cut keeps is in the stream already: leave the look-ahead unencoded.
                    return fed;
                }
                // The input still needed at the ratio so far, with a margin. The stream written so far covers the
                // input but for what the encoder holds back to look ahead.
                long encoded = Math.max(1, fed - lookahead);
                long need = (long) (capacity - sink.count) * encoded / Math.max(sink.count, 1);
                step = (int) Math.max(MIN_STEP, Math.min(need + (need >> 3), 1 << 26));
            }
            out.finish();
            return fed;
        } catch (IOException e) {
            throw new UncheckedIOException(e); // the sink does not fail, nor do options checked in the constructor
        }
    }

    /** A growable in-memory destination for the encoder. */
    private static final class Sink extends OutputStream {
        byte[] buf = new byte[64 << 10];
        int count;

        @Override
        public void write(int b) {
            ensure(1);
            buf[count++] = (byte) b;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            ensure(len);
            System.arraycopy(b, off, buf, count, len);
            count += len;
        }

        private void ensure(int more) {
            if (buf.length - count < more) {
                buf = Arrays.copyOf(buf, Math.max(buf.length * 2, count + more));
            }
        }
    }

    /**
     * Keeps the match finder's arrays of the last calls for the next ones (XZ for Java asks for them on every
     * stream and gives them back when it is finished): one instance, one thread.
     */
    private static final class ReusingCache extends ArrayCache {
        private static final int KEEP = 4;
        private final ArrayDeque<byte[]> bytes = new ArrayDeque<>();
        private final ArrayDeque<int[]> ints = new ArrayDeque<>();

        @Override
        public byte[] getByteArray(int size, boolean fillWithZeros) {
            for (var it = bytes.iterator(); it.hasNext();) {
                byte[] a = it.next();
                if (a.length == size) {
                    it.remove();
                    if (fillWithZeros) {
                        Arrays.fill(a, (byte) 0);
                    }
                    return a;
                }
            }
            return new byte[size];
        }

        @Override
        public void putArray(byte[] array) {
            if (bytes.size() == KEEP) {
                bytes.removeLast();
            }
            bytes.addFirst(array);
        }

        @Override
        public int[] getIntArray(int size, boolean fillWithZeros) {
            for (var it = ints.iterator(); it.hasNext();) {
                int[] a = it.next();
                if (a.length == size) {
                    it.remove();
                    if (fillWithZeros) {
                        Arrays.fill(a, 0);
                    }
                    return a;
                }
            }
            return new int[size];
        }

        @Override
        public void putArray(int[] array) {
            if (ints.size() == KEEP) {
                ints.removeLast();
            }
            ints.addFirst(array);
        }
    }
}
