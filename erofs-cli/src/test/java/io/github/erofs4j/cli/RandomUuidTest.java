package io.github.erofs4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class RandomUuidTest {
    @Test
    void version4VariantAndDistinct() {
        Set<UUID> seen = new HashSet<>();
        int[] ones = new int[128];
        for (int i = 0; i < 2000; i++) {
            UUID u = RandomUuid.next();
            assertEquals(4, u.version(), u.toString());
            assertEquals(2, u.variant(), u.toString());
            assertTrue(seen.add(u), "repeated " + u);
            for (int bit = 0; bit < 64; bit++) {
                ones[bit] += (int) ((u.getMostSignificantBits() >>> bit) & 1);
                ones[64 + bit] += (int) ((u.getLeastSignificantBits() >>> bit) & 1);
            }
        }
        // Every bit outside the 6 fixed ones varies (a constant or stuck byte would show here).
        int varying = 0;
        for (int c : ones) {
            if (c > 800 && c < 1200) {
                varying++;
            }
        }
        assertEquals(122, varying);
    }
}
