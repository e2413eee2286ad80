package io.github.erofs4j.core.read;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.erofs4j.core.testing.Fixtures;
import java.io.IOException;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The kernel-style binary search finds every stored name and nothing else. */
class LookupTest {

    static Stream<String> fixtures() {
        return Fixtures.UNCOMPRESSED.stream();
    }

    @ParameterizedTest
    @MethodSource("fixtures")
    void everyEntryIsFoundAndNeighboursAreNot(String name) throws IOException {
        try (ErofsImage img = ErofsImage.open(Fixtures.image(name))) {
            int[] checked = {0};
            check(img, img.root(), checked, 0);
            assertTrue(checked[0] > 10, "too few names checked: " + checked[0]);
        }
    }

    private void check(ErofsImage img, ErofsInode dir, int[] checked, int depth) throws IOException {
        Set<String> present = new HashSet<>();
        for (DirEntry e : dir.entries()) {
            present.add(Arrays.toString(e.nameBytes()));
        }
        for (DirEntry e : dir.entries()) {
            assertEquals(e, dir.lookup(e.nameBytes()).orElseThrow(() -> new AssertionError("not found: " + e)));
            checked[0]++;
            byte[] n = e.nameBytes();
            byte[] longer = Arrays.copyOf(n, n.length + 1);
            longer[n.length] = (byte) 0xFF;
            byte[] shorter = Arrays.copyOf(n, n.length - 1);
            byte[] bumped = n.clone();
            bumped[n.length - 1]++;
            for (byte[] probe : new byte[][] {longer, shorter, bumped}) {
                if (probe.length > 0 && probe.length <= 255 && probe[probe.length - 1] != '/'
                        && probe[probe.length - 1] != 0 && !present.contains(Arrays.toString(probe))) {
                    assertTrue(dir.lookup(probe).isEmpty(), () -> "found absent name " + Arrays.toString(probe));
                }
            }
            if (!e.isDotOrDotDot() && e.fileType() == io.github.erofs4j.core.format.Erofs.FT_DIR && depth < 32) {
                check(img, img.inode(e.nid()), checked, depth + 1);
            }
        }
    }
}
