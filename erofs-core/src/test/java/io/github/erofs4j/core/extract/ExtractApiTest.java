package io.github.erofs4j.core.extract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.erofs4j.core.read.ErofsImage;
import io.github.erofs4j.core.read.ReadOptions;
import io.github.erofs4j.core.testing.Fixtures;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The library's checker and extractor: reports, problems with offsets, options and the listener. */
class ExtractApiTest {
    @TempDir
    Path tmp;

    @Test
    void cleanImageReportIsTheSameForAnyThreadCount() throws Exception {
        try (ErofsImage img = ErofsImage.open(Fixtures.image("plain"))) {
            CheckReport one = ImageChecker.check(img, 1);
            CheckReport four = ImageChecker.check(img, 4);
            assertTrue(one.isClean(), one.problems().toString());
            assertEquals(one.inodes(), one.typeCounts().values().stream().mapToLong(Long::longValue).sum());
            assertTrue(one.bytesRead() > 0);
            assertEquals(one.inodes(), four.inodes());
            assertEquals(one.typeCounts(), four.typeCounts());
            assertEquals(one.bytesRead(), four.bytesRead());
        }
    }

    /** A copy of the fixture cut at 3/5 of its size: metadata stays readable, much of the data does not. */
    private Path truncated() throws Exception {
        byte[] b = Files.readAllBytes(Fixtures.image("plain"));
        Path p = tmp.resolve("cut.erofs");
        Files.write(p, java.util.Arrays.copyOf(b, b.length * 3 / 5));
        return p;
    }

    @Test
    void damagedImageGivesProblemsWithOffsetsInWalkOrder() throws Exception {
        try (ErofsImage img = ErofsImage.open(truncated(), ReadOptions.builder().verifyChecksum(false).build())) {
            CheckReport one = ImageChecker.check(img, 1);
            CheckReport many = ImageChecker.check(img, 8);
            assertFalse(one.isClean());
            assertEquals(one.problemCount(), one.problems().size());
            for (Problem p : one.problems()) {
                assertTrue(p.path().startsWith("/"), p.toString());
                assertTrue(p.offset() >= 0 && p.offset() < Files.size(Fixtures.image("plain")), p.toString());
            }
            assertEquals(one.problems(), many.problems());
        }
    }

    @Test
    void extractionWithoutOverwriteReportsWhatExists() throws Exception {
        Path out = tmp.resolve("out");
        List<String> told = new ArrayList<>();
        ExtractOptions options = ExtractOptions.builder().threads(2).listener(new ExtractListener() {
            @Override
            public void notRestored(String what, String path, String detail) {
                told.add(what);
            }
        }).build();
        try (ErofsImage img = ErofsImage.open(Fixtures.image("plain"))) {
            ExtractSummary first = ImageExtractor.extract(img, out, options);
            assertTrue(first.check().isClean(), first.check().problems().toString());
            assertEquals(out, first.target());
            assertEquals(first.notRestored().stream().mapToLong(ExtractSummary.NotRestored::count).sum(),
                    told.size());
            UserGuideExampleTest.assertSameTree(img, img.root(), out);

            ExtractSummary again = ImageExtractor.extract(img, out, options);
            assertFalse(again.check().isClean());
            for (Problem p : again.check().problems()) {
                assertEquals(-1, p.offset(), p.toString()); // the target's fault, not the image's
            }
            ExtractSummary replaced = ImageExtractor.extract(img, out, options.toBuilder().overwrite(true).build());
            assertTrue(replaced.check().isClean(), replaced.check().problems().toString());
            UserGuideExampleTest.assertSameTree(img, img.root(), out);
        }
    }

    @Test
    void umaskAppliesWhenPermissionsAreNotPreserved() throws Exception {
        Path out = tmp.resolve("masked");
        try (ErofsImage img = ErofsImage.open(Fixtures.image("plain"))) {
            ExtractSummary s = ImageExtractor.extract(img, out,
                    ExtractOptions.builder().preservePermissions(false).umask(077).preserveOwner(false).build());
            assertTrue(s.check().isClean(), s.check().problems().toString());
        }
        int files = 0;
        try (Stream<Path> all = Files.walk(out)) {
            for (Path p : all.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).toList()) {
                int mode = (Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS);
                assertEquals(0, mode & 077, p + " mode " + Integer.toOctalString(mode));
                files++;
            }
        }
        assertTrue(files > 0);
    }

    @Test
    void optionsAreCheckedAndCopied() {
        assertThrows(IllegalArgumentException.class, () -> ExtractOptions.builder().threads(-1));
        assertThrows(IllegalArgumentException.class, () -> ExtractOptions.builder().umask(01000));
        ExtractOptions d = ExtractOptions.defaults();
        assertTrue(d.preserveOwner().isEmpty());
        assertTrue(d.preservePermissions() && d.xattrs() && !d.overwrite());
        ExtractOptions o = d.toBuilder().overwrite(true).preserveOwner(false).build();
        assertTrue(o.overwrite());
        assertEquals(false, o.preserveOwner().orElseThrow());
        assertFalse(d.overwrite());
    }
}
