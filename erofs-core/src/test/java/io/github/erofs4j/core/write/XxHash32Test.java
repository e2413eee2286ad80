package io.github.erofs4j.core.write;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.erofs4j.core.format.Erofs;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class XxHash32Test {

    private static int h(String s, int seed) {
        return XxHash32.hash(s.getBytes(StandardCharsets.UTF_8), seed);
    }

    @Test
    void publishedVectors() {
        assertEquals(0x02CC5D05, h("", 0));
        assertEquals(0x550D7456, h("a", 0));
        assertEquals(0x32D153FF, h("abc", 0));
        // 16 bytes and more take the four-lane path.
        assertEquals(0x63A14D5F, h("abcdefghijklmnopqrstuvwxyz", 0));
        assertEquals(0xE2293B2F, h("Nobody inspects the spammish repetition", 0));
    }

    @Test
    void erofsFilterBitsFromFormatNotes() {
        assertEquals(30, XattrPlanner.filterBit(Erofs.XATTR_INDEX_POSIX_ACL_ACCESS, new byte[0]));
        assertEquals(21, XattrPlanner.filterBit(Erofs.XATTR_INDEX_POSIX_ACL_DEFAULT, new byte[0]));
        assertEquals(11, XattrPlanner.filterBit(Erofs.XATTR_INDEX_SECURITY, bytes("selinux")));
        assertEquals(29, XattrPlanner.filterBit(Erofs.XATTR_INDEX_SECURITY, bytes("capability")));
        assertEquals(20, XattrPlanner.filterBit(Erofs.XATTR_INDEX_TRUSTED, bytes("overlay.opaque")));
        assertEquals(12, XattrPlanner.filterBit(Erofs.XATTR_INDEX_USER, bytes("foo")));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
