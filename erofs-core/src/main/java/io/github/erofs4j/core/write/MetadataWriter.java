package io.github.erofs4j.core.write;

import io.github.erofs4j.core.FileType;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.util.List;

/**
 * Writes the metadata area in offset order: the superblock, the long-prefix table, the shared xattrs and the
 * inodes (through {@link InodeEncoder}), zeros between them and up to the end of the last metadata block.
 */
final class MetadataWriter {
    /** The inline data of a regular file, asked for in metadata order. */
    interface InlineSource {
        byte[] inline(InodePlan p) throws IOException;
    }

    private final MetadataLayout layout;
    private final byte[] superblock;
    private final byte[] prefixTable;
    private final byte[] sharedArea;
    private final InodeEncoder inodes;
    private final int bs;

    MetadataWriter(MetadataLayout layout, byte[] superblock, XattrLayout xattrs, WriteOptions opt) {
        this(layout, superblock, xattrs, opt, opt.buildTime());
    }

    /** With {@code epoch} the time base of compact inodes (see {@link SuperblockEncoder#epoch}). */
    MetadataWriter(MetadataLayout layout, byte[] superblock, XattrLayout xattrs, WriteOptions opt, long epoch) {
        this.layout = layout;
        this.superblock = superblock;
        this.prefixTable = layout.prefixOffset() >= 0 ? xattrs.prefixTable() : new byte[0];
        this.sharedArea = xattrs.sharedArea();
        this.inodes = new InodeEncoder(opt, xattrs.sharedIds(layout.sharedOffset()), epoch);
        this.bs = opt.blockSize();
    }

    /** Whether an inode's inline data comes from its file's content. */
    static boolean inlinesContent(InodePlan p) {
        return p.type == FileType.REGULAR && p.data instanceof FlatData && p.data.inlineBytes() > 0;
    }

    /** The regular files with inline data, in the order {@link #write} asks for it. */
    List<InodePlan> inlineOrder() {
        return layout.items().stream().map(MetadataLayout.Item::inode)
                .filter(p -> p != null && inlinesContent(p)).toList();
    }

    /** Writes the area; with {@code inline} null, the inline data of regular files is left as zeros. */
    void write(ImageOutput o, InlineSource inline) throws IOException {
        for (MetadataLayout.Item it : layout.items()) {
            o.zerosTo(it.offset());
            if (it.kind() == MetadataLayout.Kind.INODE) {
                InodePlan p = it.inode();
                byte[] data = inline != null && inlinesContent(p) ? inline.inline(p) : null;
                o.write(encode(p, data));
            } else {
                o.write(fixedPart(it.kind()));
            }
        }
        o.zerosTo(layout.blocks() * bs);
    }

    /** The bytes of the superblock, the long-prefix table or the shared xattr area. */
    byte[] fixedPart(MetadataLayout.Kind kind) {
        return switch (kind) {
            case SUPERBLOCK -> superblock;
            case PREFIXES -> prefixTable;
            case SHARED_XATTRS -> sharedArea;
            case INODE -> throw new IllegalArgumentException("an inode is not a fixed part");
        };
    }

    /** One inode's bytes, with the inline data of a regular file ({@code inline}), or zeros for it when null. */
    byte[] encode(InodePlan p, byte[] inline) {
        return inodes.encode(p, inline);
    }

    /** One inode's bytes before its inline data. */
    byte[] encodeHead(InodePlan p) {
        return inodes.encodeHead(p);
    }

    /**
     * The inline data of a directory, symlink or compressed file: {@link InodePlan#data}'s inline bytes of the
     * array from index {@link InodeEncoder#inlineFrom}.
     */
    byte[] inlineOf(InodePlan p) {
        return inodes.inlineSource(p, null);
    }

    /**
     * The whole area in memory, the inline data of regular files left as zeros: for encoding while the data pass
     * runs, before that data has been read ({@link #putInline} fills it in).
     */
    byte[] encodeWithoutInline(int csumEnd) throws IOException {
        byte[] area = new byte[(int) (layout.blocks() * bs)];
        ByteBuffer view = ByteBuffer.wrap(area);
        WritableByteChannel into = new WritableByteChannel() {
            @Override
            public int write(ByteBuffer src) {
                int n = src.remaining();
                view.put(src);
                return n;
            }

            @Override
            public boolean isOpen() {
                return true;
            }

            @Override
            public void close() {
            }
        };
        try (ImageOutput o = new ImageOutput(into, null, e -> { }, area.length, 0, csumEnd, false)) {
            write(o, null);
            o.flush();
        }
        return area;
    }

    /** Copies a regular file's inline data into an area made by {@link #encodeWithoutInline}. */
    static void putInline(byte[] area, InodePlan p, byte[] data) {
        System.arraycopy(data, 0, area, (int) (p.offset + p.metaSize()), p.data.inlineBytes());
    }
}
