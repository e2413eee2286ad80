package io.github.erofs4j.core.read;

import io.github.erofs4j.core.ErofsFormatException;
import io.github.erofs4j.core.format.Feature;
import io.github.erofs4j.core.spi.Decompressors;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/** The {@link DataSource} of compressed inodes (layouts 1 and 3): a thin adapter over {@link ZDataReader}. */
final class CompressedDataSource implements DataSource {

    private final ZDataReader reader;
    /** Whether the inode's inline pcluster (if any) lives in the metabox. */
    private final boolean metabox;

    private CompressedDataSource(ZDataReader reader, boolean metabox) {
        this.reader = reader;
        this.metabox = metabox;
    }

    static CompressedDataSource create(ErofsInode inode) throws IOException {
        ErofsImage image = inode.image();
        var sb = image.superBlock();
        boolean packed = sb.hasIncompat(Feature.INCOMPAT_FRAGMENTS) && sb.packedNid() == inode.nid();
        ZImageContext ctx = image.compression();
        ZImageContext.PositionalReader io = ctx.io;
        if (inode.inMetabox()) {
            MetaSpace meta = inode.meta();
            ZImageContext.PositionalReader device = ctx.io;
            io = new ZImageContext.PositionalReader() {
                @Override
                public void readFully(long offset, byte[] dst, int off, int len, String structure)
                        throws IOException {
                    meta.meta(offset, len, structure).get(0, dst, off, len);
                }

                @Override
                public void readData(long offset, ByteBuffer dst, String structure) throws IOException {
                    device.readData(offset, dst, structure);
                }

                @Override
                public void readInline(long offset, ByteBuffer dst, String structure) throws IOException {
                    dst.put(meta.meta(offset, dst.remaining(), structure));
                }
            };
        }
        ZDataReader r = new ZDataReader(ctx, io, inode.nid(), inode.inodeOffset(),
                inode.extendedInode() ? 64 : 32, inode.xattrBodySize(), inode.dataLayout(), inode.size(), packed);
        return new CompressedDataSource(r, inode.inMetabox());
    }

    /** The image-wide state for compressed reads; called once per image by {@link ErofsImage#compression()}. */
    static ZImageContext newContext(ErofsImage image) {
        ImageSource src = image.source();
        var sb = image.superBlock();
        ZImageContext.PositionalReader reader = new ZImageContext.PositionalReader() {
            @Override
            public void readFully(long offset, byte[] dst, int off, int len, String structure) throws IOException {
                ByteBuffer b = src.meta(offset, len, structure);
                b.get(0, dst, off, len);
            }

            @Override
            public void readData(long offset, ByteBuffer dst, String structure) throws IOException {
                src.readFully(0, offset, dst, structure);
            }
        };
        ZImageContext.PackedSource packed = (pos, dst) -> {
            if (!sb.hasIncompat(Feature.INCOMPAT_FRAGMENTS) || sb.packedNid() == 0) {
                throw ErofsFormatException.corrupt(-1, "fragment",
                        "the image has no packed inode");
            }
            ErofsInode p = image.packedInode();
            int len = dst.remaining();
            if (pos < 0 || pos > p.size() || len > p.size() - pos) {
                throw ErofsFormatException.truncated(pos,
                        "fragment in packed inode nid " + p.nid(), len, p.size() - pos);
            }
            int n = len == 0 ? 0 : p.read(pos, dst);
            if (n != len) {
                throw ErofsFormatException.truncated(pos, "fragment in packed inode nid " + p.nid(), len,
                        Math.max(0, n));
            }
        };
        Decompressors decompressors = image.options().decompressors() != null ? image.options().decompressors()
                : Decompressors.installed();
        return new ZImageContext(sb, reader, decompressors, image.options(), packed);
    }

    @Override
    public int read(long pos, ByteBuffer dst) throws IOException {
        return reader.read(pos, dst);
    }

    @Override
    public List<DataExtent> extents() throws IOException {
        List<ZExtent> zs = reader.extents();
        List<DataExtent> out = new ArrayList<>(zs.size());
        for (ZExtent z : zs) {
            long phys = z.format() == ZExtent.HOLE ? -1 : z.pa();
            boolean compressed = z.format() != ZExtent.HOLE && z.format() != ZExtent.SHIFTED
                    && z.format() != ZExtent.INTERLACED;
            int device = z.inline() && metabox ? DataExtent.METABOX : 0;
            out.add(new DataExtent(z.la(), z.llen(), device, phys, compressed));
        }
        return out;
    }
}
