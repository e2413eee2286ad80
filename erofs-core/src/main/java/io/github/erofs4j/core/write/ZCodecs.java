package io.github.erofs4j.core.write;

import io.github.erofs4j.core.format.Erofs;
import io.github.erofs4j.core.spi.Compressors;
import java.util.ArrayList;
import java.util.List;

/**
 * Every encoder of an image, by its index in {@link Compression#algorithms()}, with the per-file choice of
 * encoder and pcluster size that the {@linkplain CompressHints hints} make. Resolved once from the options, before
 * any work; immutable.
 *
 * <p>As in mkfs.erofs, the image's largest pcluster is the largest of {@code -C} and the sizes the hints name;
 * every encoder sizes its default window from it, and the superblock's records follow it.
 */
final class ZCodecs {
    /** How one file is compressed: the encoder's index, its pcluster size in bytes and its algorithm id. */
    record Choice(int codec, int pclusterSize, int algorithm) {}

    private final List<ZCodec> codecs;
    private final int blockSize;
    private final int maxPcluster;
    private final Choice primary;
    private final CompressHints hints;

    private ZCodecs(List<ZCodec> codecs, int blockSize, int maxPcluster, int defaultPcluster, CompressHints hints) {
        this.codecs = codecs;
        this.blockSize = blockSize;
        this.maxPcluster = maxPcluster;
        this.primary = new Choice(0, defaultPcluster, codecs.get(0).algorithmId());
        this.hints = hints;
    }

    /**
     * The encoders of {@code opt}'s compression, or null when files are not compressed. Hint rules whose size is
     * not a multiple of the block size are left out, each with a warning to the listener (as mkfs.erofs does).
     *
     * @throws IllegalArgumentException when an encoder is missing or refuses its settings, a hint names an
     *     algorithm index the image does not have, or the metabox's pcluster or index is out of range
     */
    static ZCodecs resolve(WriteOptions opt) {
        Compression c = opt.compression();
        if (!c.enabled()) {
            return null;
        }
        int bs = opt.blockSize();
        int def = c.pclusterSize() == 0 ? bs : c.pclusterSize();
        int max = def;
        List<Compression.Algorithm> algs = c.algorithms();
        CompressHints hints = c.hints();
        if (hints != null) {
            List<CompressHints.Rule> kept = new ArrayList<>();
            for (CompressHints.Rule r : hints.rules()) {
                if (r.algorithm() >= algs.size()) {
                    throw new IllegalArgumentException("compress hints line " + r.line() + ": no algorithm "
                            + r.algorithm() + " (the image has " + algs.size() + ": " + algs + ")");
                }
                if (r.pclusterSize() % bs != 0) {
                    opt.listener().onEvent(new WriteEvent.Warning("compress hints line " + r.line(),
                            "pcluster size " + r.pclusterSize() + " is not a multiple of the block size " + bs
                                    + "; rule left out"));
                    continue;
                }
                kept.add(r);
                max = Math.max(max, r.pclusterSize());
            }
            hints = CompressHints.of(kept);
        }
        Metabox mb = opt.metabox().orElse(null);
        if (mb != null) {
            if (mb.algorithm() >= algs.size()) {
                throw new IllegalArgumentException("metabox algorithm " + mb.algorithm() + ": the image has "
                        + algs.size() + " (" + algs + ")");
            }
            if (mb.pclusterSize() > max) {
                throw new IllegalArgumentException("metabox pcluster size " + mb.pclusterSize()
                        + " is larger than the largest pcluster " + max + " (raise it with -C)");
            }
        }
        Compressors set = c.compressors() != null ? c.compressors() : Compressors.installed();
        List<ZCodec> codecs = new ArrayList<>(algs.size());
        for (Compression.Algorithm a : algs) {
            codecs.add(ZCodec.resolve(a, set, max));
        }
        return new ZCodecs(List.copyOf(codecs), bs, max, def, hints);
    }

    /** The encoder of index {@code i}. */
    ZCodec codec(int i) {
        return codecs.get(i);
    }

    /** The number of encoders. */
    int size() {
        return codecs.size();
    }

    /** The largest pcluster in bytes. */
    int maxPcluster() {
        return maxPcluster;
    }

    /** Whether pclusters may span several blocks (the big-pcluster feature and CBLKCNT indexes). */
    boolean bigPcluster() {
        return maxPcluster > blockSize;
    }

    /** The choice for files no hint matches: the primary encoder and {@code -C}. */
    Choice primary() {
        return primary;
    }

    /** The choice for encoder {@code codec} with pclusters up to {@code pclusterSize} bytes. */
    Choice choice(int codec, int pclusterSize) {
        return new Choice(codec, pclusterSize, codecs.get(codec).algorithmId());
    }

    /**
     * How the regular file at {@code path} (absolute in the image, "/a/b") is compressed, or null when a hint says
     * it is stored uncompressed.
     */
    Choice forPath(String path) {
        if (hints == null) {
            return primary;
        }
        CompressHints.Rule r = hints.match(path.startsWith("/") ? path.substring(1) : path);
        if (r == null) {
            return primary;
        }
        if (r.pclusterSize() == 0) {
            return null;
        }
        return choice(r.algorithm(), r.pclusterSize());
    }

    /** The bitmap of algorithm ids of every encoder (whether or not a file uses it, as mkfs.erofs records). */
    int algorithmBitmap() {
        int m = 0;
        for (ZCodec z : codecs) {
            m |= 1 << z.algorithmId();
        }
        return m;
    }

    /**
     * Whether the image carries configuration records after the superblock (and the bitmap of algorithms in
     * {@code u1}): as mkfs.erofs, when an algorithm other than lz4 is present, or pclusters may be larger than a
     * block (the big-pcluster feature shares the bit with the records).
     */
    boolean configRecords() {
        return (algorithmBitmap() & ~(1 << Erofs.ALG_LZ4)) != 0 || bigPcluster();
    }

    /** The largest window the encoders of algorithm {@code id} use (0: the algorithm's default). */
    int window(int id) {
        int w = 0;
        for (ZCodec z : codecs) {
            if (z.algorithmId() == id) {
                w = Math.max(w, z.window());
            }
        }
        return w;
    }
}
