package io.github.erofs4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Names that are not valid UTF-8 (Latin-1 leftovers and the like): the kernel shows them, so extract writes them
 * by their bytes, with everything else an entry carries, as it does for other names.
 */
class RawNamesExtractTest {
    @TempDir
    Path tmp;

    /** Python makes the tree, because Java paths cannot hold these names. */
    private static final String TREE = String.join("\n",
            "import os, sys",
            "r = os.fsencode(sys.argv[1])",
            "d = r + b'/dir\\xff'",
            "os.makedirs(d + b'/sub')",
            "open(d + b'/file\\xfe.txt', 'wb').write(b'hello raw\\n' * 1000)",
            "open(d + b'/sub/ok.txt', 'wb').write(b'x' * 5000)",
            "open(r + b'/plain\\xe9', 'wb').write(b'latin1 name')",
            "os.symlink(b'target\\xff', r + b'/link\\xfa')",
            "os.symlink(b'plain\\xe9', r + b'/valid-name-raw-target')",
            "os.link(r + b'/plain\\xe9', r + b'/hard\\xfb')",
            "os.mkfifo(r + b'/fifo\\xfc')",
            "os.chmod(d + b'/file\\xfe.txt', 0o4751)",
            "os.setxattr(d + b'/file\\xfe.txt', 'user.k', b'v')",
            "os.chown(r + b'/plain\\xe9', 123, 456)",
            "os.utime(d, ns=(1600000000123456789, 1600000000123456789))");

    /** Every entry's name bytes, type, mode, owner, mtime, link count and symlink target (not directory sizes). */
    private static final String LIST = "find . -printf '%p %y %m %U %G %T@ %n %l\\n' | LC_ALL=C sort";

    @Test
    @Tag("kernel")
    void extractGivesTheKernelsTree() throws Exception {
        assumeTrue(Cli.isRoot() && Files.exists(Path.of("/dev/loop-control")), "needs root and loop devices");
        assumeTrue(Cli.hasPython(), "python3 makes the tree");
        assumeTrue(sh("command -v mkfs.erofs || true", tmp).length > 0, "mkfs.erofs (erofs-utils) makes the image");
        Path src = tmp.resolve("src");
        Path py = tmp.resolve("tree.py");
        Files.writeString(py, TREE);
        sh("python3 " + py + " " + src, tmp);
        sh("mkfs.erofs --quiet -zlz4hc a.erofs src", tmp);
        Path out = tmp.resolve("out");
        Cli.Result r = Cli.run("extract", tmp.resolve("a.erofs").toString(), out.toString());
        assertEquals(0, r.status(), r::toString);
        assertEquals("", r.err(), "everything restored as root");
        Path mnt = Files.createDirectory(tmp.resolve("mnt"));
        sh("mount -t erofs -o loop,ro a.erofs mnt", tmp);
        try {
            byte[] want = sh("cd mnt && " + LIST, tmp);
            assertTrue(new String(want, StandardCharsets.ISO_8859_1).contains("./dir\u00ff/file\u00fe.txt f 4751"),
                    "the tree is as made");
            assertArrayEquals(want, sh("cd out && " + LIST, tmp));
            sh("diff -r --no-dereference -x 'fifo*' mnt out", tmp); // contents and symlink targets
            assertArrayEquals(sh("cd mnt && getfattr -h -d -R . | LC_ALL=C sort", tmp),
                    sh("cd out && getfattr -h -d -R . | LC_ALL=C sort", tmp));
        } finally {
            sh("umount mnt", tmp);
        }
    }

    @Test
    void lsAndCatShowAndTakeEscapedNames() throws Exception {
        assumeTrue(Cli.hasPython(), "python3 makes the tree");
        assumeTrue(sh("command -v mkfs.erofs || true", tmp).length > 0, "mkfs.erofs (erofs-utils) makes the image");
        Files.writeString(tmp.resolve("tree.py"), TREE);
        sh("python3 tree.py src && mkfs.erofs --quiet -zlz4hc a.erofs src", tmp);
        String img = tmp.resolve("a.erofs").toString();
        Cli.Result ls = Cli.run("ls", img);
        assertEquals(0, ls.status(), ls::toString);
        assertTrue(ls.out().contains("dir\\xff\n") && ls.out().contains("plain\\xe9\n"), ls.out());
        Cli.Result inner = Cli.run("ls", img, "/dir\\xff");
        assertEquals("file\\xfe.txt\nsub\n", inner.out(), inner::toString);
        Cli.Result longList = Cli.run("ls", "-l", img);
        assertTrue(longList.out().contains(" link\\xfa -> target\\xff\n"), longList.out());
        Cli.Result cat = Cli.run("cat", img, "/dir\\xff/file\\xfe.txt");
        assertEquals(0, cat.status(), cat::toString);
        assertEquals("hello raw\n".repeat(1000), cat.out());
        Cli.Result viaLink = Cli.run("cat", img, "/valid-name-raw-target");
        assertEquals("latin1 name", viaLink.out(), viaLink::toString);
    }

    private static byte[] sh(String script, Path dir) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("bash", "-o", "pipefail", "-c", script).directory(dir.toFile())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(script + " failed: " + new String(out, StandardCharsets.UTF_8));
        }
        return out;
    }
}
