package io.github.erofs4j.core.format;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;

class FormatSizesTest {

    @Test
    void sizesMatchTheKernelStructs() {
        assertEquals(144, SuperBlock.SIZE);
        assertEquals(32, CompactInode.SIZE);
        assertEquals(64, ExtendedInode.SIZE);
        assertEquals(12, Dirent.SIZE);
        assertEquals(12, XattrHeader.SIZE);
        assertEquals(4, XattrEntry.SIZE);
        assertEquals(8, ChunkIndex.SIZE);
        assertEquals(128, DeviceSlot.SIZE);
        assertEquals(8, MapHeader.SIZE);
        assertEquals(8, LclusterIndex.SIZE);
    }

    @Test
    void rdevEncodingFollowsLinuxNewEncoding() {
        assertEquals(0x801, Erofs.encodeRdev(8, 1));
        long r = Erofs.encodeRdev(259, 300);
        assertEquals(0x11032C, r);
        assertEquals(259, Erofs.rdevMajor(r));
        assertEquals(300, Erofs.rdevMinor(r));
    }

    @Test
    void crcConventionIsTheRawRegister() {
        CRC32C crc = new CRC32C();
        crc.update("123456789".getBytes(StandardCharsets.US_ASCII));
        assertEquals(0x1CF96D7CL, ~crc.getValue() & 0xFFFFFFFFL);
    }

    @Test
    void superBlockRoundTrips() {
        byte[] uuid = new byte[16];
        uuid[0] = 0x0b;
        SuperBlock sb = new SuperBlock(Erofs.MAGIC & 0xFFFFFFFFL, 0x1234, 3, 12, 0, 36, 99, 1700000000L, 0, 10, 0, 0,
                uuid, "label".getBytes(StandardCharsets.UTF_8), 0x1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
        ByteBuffer b = ByteBuffer.allocate(2048);
        sb.encode(b, 1024);
        SuperBlock back = SuperBlock.decode(b, 1024);
        assertEquals(sb, back);
        assertEquals("label", back.volumeLabel());
        assertArrayEquals(uuid, back.uuid());
        assertEquals(36, back.rootNid());
        assertEquals((byte) 0xE2, b.get(1024));
    }
}
