package io.github.erofs4j.core.spi;

/**
 * Encodes data for one EROFS algorithm at one level, in the two shapes the image writer needs.
 *
 * <p>EROFS cuts a compressed file into physical clusters (pclusters) of whole blocks and fills each one with as
 * much input as fits: {@link #compressDestSize} compresses the longest prefix of the input whose encoding fits a
 * given number of bytes and reports how long that prefix is. {@link #compress} encodes a whole input, or reports
 * that it does not fit.
 *
 * <p>Every stream written decodes, on its own, to exactly the input it claims (no history is shared between
 * calls), and the bytes depend only on the input, the capacity, the level and the options: two instances made
 * alike give the same bytes, however often they were used before.
 *
 * <p><b>Not thread-safe.</b> An instance keeps working state (hash tables, parser buffers) that it reuses from
 * call to call so that a call allocates nothing; use one instance per thread. An instance may hold native memory
 * (an encoder built on a native library): whoever creates it closes it; a closed instance must not be used again.
 */
public interface Compressor extends AutoCloseable {

    /** The on-disk algorithm id of the streams written ({@code Erofs.ALG_*}). */
    int algorithmId();

    /** The name of the encoder, as the provider's ({@code "lz4"}, {@code "lz4hc"}). */
    String name();

    /** The level this instance compresses at (within its provider's range). */
    int level();

    /**
     * The history window, in bytes, its streams may refer back to: what the image's configuration record for the
     * algorithm declares (the lz4 {@code max_distance}, the deflate and zstd window, the LZMA dictionary size).
     * 0, the default, means the algorithm's default window.
     */
    default int windowSize() {
        return 0;
    }

    /**
     * The largest encoding of {@code srcLen} bytes: a destination of this size always holds the whole input
     * ({@link #compress} never fails with it).
     *
     * @throws IllegalArgumentException if {@code srcLen} is negative or so large the bound overflows
     */
    int maxCompressedLength(int srcLen);

    /**
     * Compresses the longest prefix of {@code src[srcOff, srcOff + srcLen)} whose stream fits in {@code
     * dstCapacity} bytes, written to {@code dst} from {@code dstOff}.
     *
     * <p>The stream written decodes to exactly {@code src[srcOff, srcOff + srcConsumed[0])}. A capacity smaller than
     * the algorithm's shortest stream (1 byte for lz4; 5 bytes, a stream of no symbols, for lzma) writes nothing
     * and consumes nothing; otherwise the stream is at least that long, and it consumes at least one input byte
     * whenever the input is not empty and the capacity holds a stream of one byte (two bytes for lz4, at most 7
     * for lzma). The prefix chosen is what the encoder reaches greedily, which need not be the longest
     * possible one; it does not change between calls with the same arguments.
     *
     * @param srcConsumed receives, in element 0, the number of input bytes the stream encodes
     * @return the stream's length in bytes, at most {@code dstCapacity}
     * @throws IndexOutOfBoundsException if a range lies outside its array or {@code srcConsumed} is empty
     */
    int compressDestSize(byte[] src, int srcOff, int srcLen, byte[] dst, int dstOff, int dstCapacity,
            int[] srcConsumed);

    /**
     * {@link #compressDestSize(byte[], int, int, byte[], int, int, int[])} with a guess of how many input bytes the
     * stream will take (what a previous call on neighbouring data took, scaled to this capacity), or 0 for none.
     * Encoders that find the prefix by compressing trial lengths start from the guess and so need fewer trials;
     * the bytes written then depend on the guess as well. The default ignores it.
     */
    default int compressDestSize(byte[] src, int srcOff, int srcLen, byte[] dst, int dstOff, int dstCapacity,
            int[] srcConsumed, int expectedConsumed) {
        return compressDestSize(src, srcOff, srcLen, dst, dstOff, dstCapacity, srcConsumed);
    }

    /**
     * Compresses all of {@code src[srcOff, srcOff + srcLen)} into {@code dst} from {@code dstOff}.
     *
     * @return the stream's length in bytes, or -1 if the whole input does not fit in {@code dstCapacity} bytes
     *     (then the contents of {@code dst[dstOff, dstOff + dstCapacity)} are unspecified)
     * @throws IndexOutOfBoundsException if a range lies outside its array
     */
    int compress(byte[] src, int srcOff, int srcLen, byte[] dst, int dstOff, int dstCapacity);

    /** Releases what the instance holds; the default holds nothing. Idempotent. */
    @Override
    default void close() {}
}
