package io.github.erofs4j.core.format;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * An 8-byte chunk index ({@code struct erofs_inode_chunk_index}) of a chunk-based file.
 *
 * @param startblkHi high 16 address bits (only with the chunk format's 48BIT flag)
 * @param deviceId device id, masked by the reader with the device-id mask
 */
public record ChunkIndex(int startblkHi, int deviceId, long startblkLo) {

    /** Size on disk. */
    public static final int SIZE = 8;
    /** Size of a block-map entry (a plain u32 start block). */
    public static final int BLOCK_MAP_ENTRY_SIZE = 4;

    /** i_u format bits 0-4: chunkbits - blkszbits. */
    public static final int FORMAT_BLKBITS_MASK = 0x1F;
    /** i_u format: 8-byte chunk indexes instead of a block map. */
    public static final int FORMAT_INDEXES = 0x20;
    /** i_u format: chunk indexes carry 48-bit addresses. */
    public static final int FORMAT_48BIT = 0x40;
    /** Every valid chunk format bit. */
    public static final int FORMAT_ALL = 0x7F;

    public static ChunkIndex decode(ByteBuffer buf, int offset) {
        ByteBuffer b = buf.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        return new ChunkIndex(SuperBlock.u16(b, offset), SuperBlock.u16(b, offset + 2), SuperBlock.u32(b, offset + 4));
    }

    public void encode(ByteBuffer buf, int offset) {
        ByteBuffer b = buf.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        b.putShort(offset, (short) startblkHi);
        b.putShort(offset + 2, (short) deviceId);
        b.putInt(offset + 4, (int) startblkLo);
    }
}
