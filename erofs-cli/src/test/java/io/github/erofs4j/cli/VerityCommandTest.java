package io.github.erofs4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code erofs verity ...} against {@code fsverity} and {@code veritysetup}: same stdout, same files, exit codes. */
class VerityCommandTest {
    static final String UUID = "--uuid=12345678-1234-1234-1234-123456789abc";

    record Run(int exit, String out, String err) {
    }

    @BeforeAll
    static void tools() {
        assumeTrue(has("fsverity") && has("veritysetup"), "fsverity or veritysetup not installed");
    }

    static boolean has(String cmd) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(d, cmd))) {
                return true;
            }
        }
        return false;
    }

    static Run erofs(String... args) {
        CommandLine cl = Main.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        List<String> a = new ArrayList<>(List.of("verity"));
        a.addAll(List.of(args));
        int rc = cl.execute(a.toArray(String[]::new));
        return new Run(rc, out.toString(), err.toString());
    }

    static Run tool(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).start();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Thread t = new Thread(() -> {
            try {
                p.getErrorStream().transferTo(err);
            } catch (IOException e) {
                // process ended
            }
        });
        t.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        t.join();
        return new Run(p.exitValue(), out, err.toString(StandardCharsets.UTF_8));
    }

    static Path sig(String n) {
        return Cli.fixtures().resolve("verity").resolve("sig").resolve(n);
    }

    static String[] concat(String first, String[] rest) {
        String[] a = new String[rest.length + 1];
        a[0] = first;
        System.arraycopy(rest, 0, a, 1, rest.length);
        return a;
    }

    @Test
    void digestPrintsWhatFsverityPrints(@TempDir Path dir) throws Exception {
        byte[] data = new byte[1_234_567];
        new Random(5).nextBytes(data);
        String f = Files.write(dir.resolve("f"), data).toString();
        String g = Files.write(dir.resolve("g"), new byte[0]).toString();
        String[][] cases = {
            {f, g},
            {"--compact", f},
            {"--for-builtin-sig", f},
            {"--for-builtin-sig", "--compact", g},
            {"--hash-alg=sha512", "--block-size=1024", "--salt=00ff", f},
            {"--out-merkle-tree=" + dir.resolve("t"), "--out-descriptor=" + dir.resolve("d"), f},
        };
        for (String[] c : cases) {
            Run ref = tool(concat("fsverity", concat("digest", c)));
            byte[] refTree = Files.exists(dir.resolve("t")) ? Files.readAllBytes(dir.resolve("t")) : null;
            byte[] refDesc = Files.exists(dir.resolve("d")) ? Files.readAllBytes(dir.resolve("d")) : null;
            Files.deleteIfExists(dir.resolve("t"));
            Files.deleteIfExists(dir.resolve("d"));
            Run ours = erofs(concat("digest", c));
            assertEquals(ref.exit(), ours.exit(), String.join(" ", c) + ours.err());
            assertEquals(ref.out(), ours.out(), String.join(" ", c));
            if (refTree != null) {
                assertArrayEquals(refTree, Files.readAllBytes(dir.resolve("t")));
                assertArrayEquals(refDesc, Files.readAllBytes(dir.resolve("d")));
            }
        }
        assertEquals(1, erofs("digest", dir.resolve("missing").toString()).exit());
        assertEquals(2, erofs("digest", "--block-size=3000", f).exit());
        assertEquals(2, erofs("digest", "--salt=zz", f).exit());
        assertEquals(2, erofs("digest", "--hash-alg=sha1", f).exit());
        assertEquals(2, erofs("digest", "--salt=" + "00".repeat(33), f).exit());
        assertEquals(2, erofs("digest").exit());
    }

    @Test
    void signWritesTheBytesFsveritySignWrites(@TempDir Path dir) throws Exception {
        byte[] data = new byte[70_000];
        new Random(6).nextBytes(data);
        String f = Files.write(dir.resolve("f"), data).toString();
        for (String alg : new String[] {"sha256", "sha512"}) {
            String[] opts = {"--key=" + sig("key.pem"), "--cert=" + sig("cert.pem"), "--hash-alg=" + alg};
            Run ref = tool(concat("fsverity", concat("sign", concat(f, concat(dir.resolve("ref.sig").toString(), opts)))));
            Run ours = erofs(concat("sign", concat(f, concat(dir.resolve("our.sig").toString(), opts))));
            assertEquals(0, ours.exit(), ours.err());
            assertEquals(ref.out(), ours.out());
            assertArrayEquals(Files.readAllBytes(dir.resolve("ref.sig")), Files.readAllBytes(dir.resolve("our.sig")));
        }
        // a key that is a certificate: clear failure, exit 1
        Run bad = erofs("sign", f, dir.resolve("x.sig").toString(), "--key=" + sig("cert.pem"), "--cert=" + sig("cert.pem"));
        assertEquals(1, bad.exit());
        assertTrue(bad.err().contains("PKCS#8"), bad.err());
        assertEquals(2, erofs("sign", f, dir.resolve("x.sig").toString()).exit());
    }

    @Test
    void dmFormatAndVerifyLikeVeritysetup(@TempDir Path dir) throws Exception {
        byte[] data = new byte[130 * 4096];
        new Random(7).nextBytes(data);
        Path d = Files.write(dir.resolve("data"), data);
        String[][] cases = {
            {"--salt=abcd", UUID},
            {"--salt=-", UUID, "--hash=sha512", "--data-block-size=1024", "--hash-block-size=512"},
            {"--salt=00", "--no-superblock", "--format=0", "--hash=sha1"},
            {"--salt=-", UUID, "--hash-offset=8192"},
        };
        int i = 0;
        for (String[] c : cases) {
            String refHash = dir.resolve("ref" + i).toString();
            String ourHash = dir.resolve("our" + i).toString();
            i++;
            Run ref = tool(concat("veritysetup", concat("format", concat(d.toString(), concat(refHash, c)))));
            Run ours = erofs(concat("dm-format", concat(d.toString(), concat(ourHash, c))));
            assertEquals(0, ours.exit(), ours.err());
            assertEquals(ref.out().replace(refHash, ourHash), ours.out());
            assertArrayEquals(Files.readAllBytes(Path.of(refHash)), Files.readAllBytes(Path.of(ourHash)));
            String root = ours.out().lines().filter(l -> l.startsWith("Root hash:")).findFirst().orElseThrow()
                    .split("\t")[1];
            List<String> verifyOpts = new ArrayList<>();
            for (String o : c) {
                if (!o.startsWith("--uuid") && (List.of(c).contains("--no-superblock") || o.startsWith("--hash-offset"))) {
                    verifyOpts.add(o);
                }
            }
            String[] vo = verifyOpts.toArray(String[]::new);
            assertEquals(0, erofs(concat("dm-verify", concat(d.toString(), concat(ourHash, concat(root, vo))))).exit());
            assertEquals(0, tool(concat("veritysetup", concat("verify", concat(d.toString(),
                    concat(ourHash, concat(root, vo)))))).exit());
            String wrong = (root.charAt(0) == 'a' ? "b" : "a") + root.substring(1);
            Run w = erofs(concat("dm-verify", concat(d.toString(), concat(ourHash, concat(wrong, vo)))));
            assertEquals(1, w.exit());
            assertEquals("Verification of root hash failed.\n", w.err());
        }
        // default salt and UUID are random, as with veritysetup
        Run a = erofs("dm-format", d.toString(), dir.resolve("r1").toString());
        Run b = erofs("dm-format", d.toString(), dir.resolve("r2").toString());
        assertTrue(!a.out().replace("r1", "r2").equals(b.out()));
        assertEquals(2, erofs("dm-verify", d.toString(), dir.resolve("r1").toString(), "xyz").exit());
        assertEquals(2, erofs("dm-format", d.toString(), dir.resolve("r3").toString(), "--salt=" + "00".repeat(257)).exit());
        Run small = erofs("dm-format", Files.write(dir.resolve("small"), new byte[10]).toString(),
                dir.resolve("r4").toString());
        assertEquals(1, small.exit());
    }

    @Test
    void digestOfAFileInsideAnImage(@TempDir Path dir) throws Exception {
        Path image = sig("x").getParent().getParent().getParent().resolve("plain.erofs");
        byte[] content;
        try (var img = io.github.erofs4j.core.read.ErofsImage.open(image)) {
            content = img.resolve("/big-text.log").readAllBytes();
        }
        Path x = Files.write(dir.resolve("big-text.log"), content);
        Run ref = tool("fsverity", "digest", "--hash-alg=sha512", x.toString());
        Run ours = erofs("digest", "--hash-alg=sha512", "--image=" + image, "/big-text.log");
        assertEquals(0, ours.exit(), ours.err());
        assertEquals(ref.out().replace(x.toString(), "/big-text.log"), ours.out());
        Run missing = erofs("digest", "--image=" + image, "/no-such-file");
        assertEquals(1, missing.exit());
        assertTrue(missing.err().contains("no-such-file"), missing.err());
    }

    @Test
    void dmSignMatchesOpensslSmime(@TempDir Path dir) throws Exception {
        assumeTrue(has("openssl"), "openssl not installed");
        String root = "4b0c1f9a7d2e3c4b5a69788796a5b4c3d2e1f00112233445566778899aabbccd";
        Path txt = Files.writeString(dir.resolve("root.txt"), root);
        Run ref = tool("openssl", "smime", "-sign", "-binary", "-noattr", "-nocerts", "-md", "sha256", "-outform", "DER",
                "-signer", sig("cert.pem").toString(), "-inkey", sig("key.pem").toString(), "-in", txt.toString(),
                "-out", dir.resolve("ref.p7s").toString());
        assertEquals(0, ref.exit(), ref.err());
        Run ours = erofs("dm-sign", root, dir.resolve("our.p7s").toString(), "--key=" + sig("key.pem"),
                "--cert=" + sig("cert.pem"));
        assertEquals(0, ours.exit(), ours.err());
        assertArrayEquals(Files.readAllBytes(dir.resolve("ref.p7s")), Files.readAllBytes(dir.resolve("our.p7s")));
        Run verify = tool("openssl", "smime", "-verify", "-binary", "-inform", "DER", "-in",
                dir.resolve("our.p7s").toString(), "-content", txt.toString(), "-certfile", sig("cert.pem").toString(),
                "-nointern", "-noverify", "-out", "/dev/null");
        assertEquals(0, verify.exit(), verify.err());
        assertEquals(2, erofs("dm-sign", "xyz", dir.resolve("x").toString(), "--key=" + sig("key.pem")).exit());
    }
}
