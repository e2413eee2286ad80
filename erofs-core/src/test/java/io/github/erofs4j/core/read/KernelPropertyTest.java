package io.github.erofs4j.core.read;

import io.github.erofs4j.core.FileType;
import io.github.erofs4j.core.testing.Manifests;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.Tag;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.lifecycle.LifecycleContext;
import net.jqwik.api.lifecycle.SkipExecutionHook;

/**
 * Random trees built at test time, imaged by Debian's {@code mkfs.erofs} in several layouts and loop-mounted:
 * our reader's view of each image must equal the kernel's, as printed by {@code testdata/tools/manifest.py}
 * (types, modes, owners, sizes, mtimes, link counts, content hashes, symlink targets, device numbers, xattrs of
 * every namespace) plus inode numbers (= nids), directory link counts and readdir order.
 */
@Tag("kernel")
@AddLifecycleHook(KernelPropertyTest.SkipWithoutMount.class)
class KernelPropertyTest {
    static final List<List<String>> LAYOUTS = List.of(
            List.of(),
            List.of("-Enoinline_data"),
            List.of("-Eforce-inode-extended"),
            List.of("-Eforce-inode-compact"),
            List.of("--chunksize=4096"),
            List.of("--chunksize=8192"),
            List.of("--chunksize=4096", "-Eforce-chunk-indexes"),
            List.of("--chunksize=8192", "-Eforce-chunk-indexes"));

    /** Why this machine cannot run the test, or null. */
    static String machineProblem() {
        if (!"root".equals(System.getProperty("user.name"))) {
            return "not root: cannot loop-mount";
        } else if (!Files.exists(Path.of("/dev/loop-control"))) {
            return "no loop device support (/dev/loop-control missing)";
        } else if (!Files.isExecutable(Path.of("/usr/bin/mkfs.erofs"))) {
            return "mkfs.erofs (erofs-utils) is not installed";
        }
        return null;
    }

    /** Skips the property, with the reason, where loop mounts are impossible. */
    static final class SkipWithoutMount implements SkipExecutionHook {
        @Override
        public SkipResult shouldBeSkipped(LifecycleContext context) {
            String why = machineProblem();
            return why == null ? SkipResult.doNotSkip() : SkipResult.skip(why);
        }
    }

    // ---- the model ----

    /** One generated entry before it is placed in the tree. */
    record Raw(int kind, int parentPick, String name, Meta meta, Payload payload) {}

    record Meta(int perms, long uid, long gid, long mtimeSec, int mtimeNsec) {}

    record Payload(int size, int major, int minor, String target, List<XattrSpec> xattrs) {}

    record XattrSpec(String namespace, String name, byte[] value) {}

    @Provide
    Arbitrary<List<Raw>> trees() {
        Arbitrary<String> names = Arbitraries.strings()
                .withChars("abcxyz019._-~ ")
                .withChars('é', 'ß', '日', '本', 'Ж')
                .withChars("\uD83D\uDE00".toCharArray())
                .ofMinLength(1).ofMaxLength(90)
                .map(s -> s.replace("\uD83D", "").replace("\uDE00", "\uD83D\uDE00"))
                .map(KernelPropertyTest::trimToBytes);
        Arbitrary<String> longNames = Arbitraries.strings().withChars("abé日").ofMinLength(84).ofMaxLength(MAX_NAME)
                .map(KernelPropertyTest::trimToBytes);
        Arbitrary<String> name = Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(5, names),
                net.jqwik.api.Tuple.of(1, longNames)).filter(s -> !s.isEmpty() && !s.equals(".") && !s.equals(".."));
        Arbitrary<Long> ids = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(4, Arbitraries.just(0L)),
                net.jqwik.api.Tuple.of(2, Arbitraries.of(1000L, 65534L, 65535L)),
                net.jqwik.api.Tuple.of(2, Arbitraries.of(65536L, 100_000L, 4_000_000_000L)),
                net.jqwik.api.Tuple.of(1, Arbitraries.longs().between(0, 1L << 31)));
        Arbitrary<Meta> meta = Combinators.combine(
                Arbitraries.integers().between(0, 07777),
                ids, ids,
                Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(1, Arbitraries.just(1_700_000_000L)),
                        net.jqwik.api.Tuple.of(3, Arbitraries.longs().between(0, (1L << 33)))),
                Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(1, Arbitraries.just(0)),
                        net.jqwik.api.Tuple.of(3, Arbitraries.integers().between(0, 999_999_999))))
                .as(Meta::new);
        Arbitrary<Integer> sizes = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(3, Arbitraries.of(0, 1, 4095, 4096, 4097, 8191, 8192, 8193, 12287, 12288,
                        16385)),
                net.jqwik.api.Tuple.of(2, Arbitraries.integers().between(0, 40_000)));
        Arbitrary<XattrSpec> xattr = Combinators.combine(
                Arbitraries.of("user.", "trusted.", "security."),
                Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(2, Arbitraries.of("shared", "a", "overlay.opaque")),
                        net.jqwik.api.Tuple.of(1, Arbitraries.strings().withChars("abcdef.-_0189").ofMinLength(1)
                                .ofMaxLength(40))),
                Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(2, Arbitraries.of(new byte[0], "y".getBytes(),
                                "same-value".getBytes())),
                        net.jqwik.api.Tuple.of(1, Arbitraries.bytes().array(byte[].class).ofMaxSize(300))))
                .as(XattrSpec::new);
        Arbitrary<Payload> payload = Combinators.combine(
                sizes,
                Arbitraries.integers().between(0, 4095),
                Arbitraries.integers().between(0, 1 << 20),
                Arbitraries.strings().withChars("abc/.é日-").ofMinLength(1).ofMaxLength(300)
                        .map(KernelPropertyTest::trimToBytes).filter(s -> !s.isEmpty()),
                xattr.list().ofMaxSize(4))
                .as(Payload::new);
        // kinds: 0 dir, 1-3 regular, 4 symlink, 5 char dev, 6 block dev, 7 fifo, 8 socket, 9 hard link
        Arbitrary<Raw> raw = Combinators.combine(
                Arbitraries.integers().between(0, 9),
                Arbitraries.integers().between(0, 1000),
                name, meta, payload).as(Raw::new);
        return raw.list().ofMinSize(1).ofMaxSize(30);
    }

    /**
     * Longest name used: 254 bytes, because Debian's mkfs.erofs 1.5 fails with ENOENT on a 255-byte name (a bug of
     * that version; our reader handles 255-byte names, see the fixtures' 255-character entry).
     */
    static final int MAX_NAME = 254;

    static String trimToBytes(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        if (b.length <= MAX_NAME) {
            return s;
        }
        StringBuilder out = new StringBuilder();
        int used = 0;
        for (int cp : s.codePoints().toArray()) {
            String c = new String(Character.toChars(cp));
            int n = c.getBytes(StandardCharsets.UTF_8).length;
            if (used + n > MAX_NAME) {
                break;
            }
            out.append(c);
            used += n;
        }
        return out.toString();
    }

    /** Turns the raw entries into spec lines for build_tree.py. */
    static List<String> spec(List<Raw> raws) {
        HexFormat hex = HexFormat.of();
        List<String> dirs = new ArrayList<>(List.of(""));
        List<String> files = new ArrayList<>();
        Set<String> used = new HashSet<>();
        List<String> out = new ArrayList<>();
        for (Raw r : raws) {
            String parent = dirs.get(r.parentPick() % dirs.size());
            if (parent.getBytes(StandardCharsets.UTF_8).length > 3000) {
                parent = ""; // stay well below PATH_MAX for the tools
            }
            String name = r.name();
            if (r.kind() == 8) {
                // AF_UNIX socket paths are limited to 108 bytes; the builder binds relative to the parent.
                name = trimTo(name, 100);
            }
            String path = parent.isEmpty() ? name : parent + "/" + name;
            if (!used.add(path)) {
                continue;
            }
            String p = hex.formatHex(path.getBytes(StandardCharsets.UTF_8));
            Meta m = r.meta();
            String own = m.uid() + "\t" + m.gid() + "\t" + (m.mtimeSec() * 1_000_000_000L + m.mtimeNsec());
            String mode = Integer.toOctalString(m.perms());
            Payload pl = r.payload();
            boolean userOk = false;
            switch (r.kind()) {
                case 0 -> {
                    out.add("d\t" + p + "\t" + mode + "\t" + own);
                    dirs.add(path);
                    userOk = true;
                }
                case 1, 2, 3 -> {
                    out.add("f\t" + p + "\t" + mode + "\t" + own + "\t" + pl.size() + "\t" + (pl.size() * 31 + 7));
                    files.add(path);
                    userOk = true;
                }
                case 4 -> out.add("l\t" + p + "\t" + hex.formatHex(pl.target().getBytes(StandardCharsets.UTF_8))
                        + "\t" + own);
                case 5, 6 -> out.add((r.kind() == 5 ? "c" : "b") + "\t" + p + "\t" + mode + "\t" + own + "\t"
                        + pl.major() + "\t" + pl.minor());
                case 7 -> out.add("p\t" + p + "\t" + mode + "\t" + own);
                case 8 -> out.add("s\t" + p + "\t" + mode + "\t" + own);
                default -> {
                    if (files.isEmpty()) {
                        used.remove(path);
                        continue;
                    }
                    String target = files.get(pl.size() % files.size());
                    out.add("h\t" + p + "\t" + hex.formatHex(target.getBytes(StandardCharsets.UTF_8)));
                    continue;
                }
            }
            Set<String> xnames = new HashSet<>();
            for (XattrSpec x : pl.xattrs()) {
                // user.* xattrs exist only on regular files and directories.
                String full = x.namespace() + x.name();
                if ((!userOk && x.namespace().equals("user.")) || !xnames.add(full)) {
                    continue;
                }
                out.add("x\t" + p + "\t" + hex.formatHex(full.getBytes(StandardCharsets.UTF_8)) + "\t"
                        + hex.formatHex(x.value()));
            }
        }
        return out;
    }

    private static String trimTo(String s, int maxBytes) {
        while (s.getBytes(StandardCharsets.UTF_8).length > maxBytes) {
            s = s.substring(0, s.offsetByCodePoints(0, s.codePointCount(0, s.length()) - 1));
        }
        return s;
    }

    // ---- the property ----

    @Property(tries = 10, shrinking = ShrinkingMode.BOUNDED)
    void readerMatchesKernelMount(@ForAll("trees") List<Raw> tree) throws Exception {
        Path work = Files.createTempDirectory("erofs4j-kprop-");
        try {
            Path src = work.resolve("src");
            Files.createDirectory(src);
            Path specFile = work.resolve("spec.tsv");
            Files.write(specFile, spec(tree));
            run(List.of("python3", script("build_tree.py", work).toString(), specFile.toString(), src.toString()));
            for (List<String> layout : LAYOUTS) {
                checkLayout(work, src, layout);
            }
        } finally {
            deleteTree(work);
        }
    }

    private void checkLayout(Path work, Path src, List<String> layout) throws Exception {
        Path img = work.resolve("img.erofs");
        Files.deleteIfExists(img);
        List<String> mkfs = new ArrayList<>(List.of("mkfs.erofs", "--quiet"));
        mkfs.addAll(layout);
        mkfs.add(img.toString());
        mkfs.add(src.toString());
        try {
            run(mkfs);
        } catch (ToolFailed e) {
            if (layout.contains("-Eforce-inode-compact") && e.stderr().contains("cannot be in compact form")) {
                return; // ids above 65535 (or similar) cannot be compact: mkfs rightly refuses
            }
            throw e;
        }
        Path mnt = Files.createDirectory(work.resolve("mnt"));
        List<String> kernel;
        List<String> kernelExtra;
        try {
            run(List.of("mount", "-t", "erofs", "-o", "loop,ro", img.toString(), mnt.toString()));
            try {
                kernel = run(List.of("python3", sharedTool("manifest.py").toString(), mnt.toString()));
                kernelExtra = run(List.of("python3", script("kernel_extra.py", work).toString(), mnt.toString()));
            } finally {
                unmount(mnt);
            }
        } finally {
            Files.delete(mnt);
        }
        try (ErofsImage image = ErofsImage.open(img)) {
            String what = "layout " + layout;
            FixtureManifestTest.assertLinesEqual(kernel, Manifests.of(image, true), what);
            FixtureManifestTest.assertLinesEqual(kernelExtra, extra(image), what + " (ino, nlink, readdir order)");
        }
    }

    /** Our side of kernel_extra.py. */
    static List<String> extra(ErofsImage image) throws IOException {
        List<Object[]> rows = new ArrayList<>();
        collect(image, image.root(), new byte[] {'.'}, rows, 0);
        rows.sort(Comparator.comparing(r -> (byte[]) r[0], Arrays::compareUnsigned));
        List<String> out = new ArrayList<>();
        for (Object[] r : rows) {
            out.add(new String((byte[]) r[0], StandardCharsets.UTF_8) + "\t" + r[1]);
        }
        return out;
    }

    private static void collect(ErofsImage image, ErofsInode n, byte[] path, List<Object[]> rows, int depth)
            throws IOException {
        String order = "-";
        List<DirEntry> children = List.of();
        if (n.type() == FileType.DIRECTORY) {
            children = n.children();
            List<String> hexNames = new ArrayList<>();
            for (DirEntry d : children) {
                hexNames.add(HexFormat.of().formatHex(d.nameBytes()));
            }
            order = hexNames.isEmpty() ? "-" : String.join(",", hexNames);
        }
        rows.add(new Object[] {path, n.nid() + "\t" + n.nlink() + "\t" + order});
        for (DirEntry d : children) {
            byte[] name = d.nameBytes();
            byte[] p;
            if (path.length == 1 && path[0] == '.') {
                p = name;
            } else {
                p = Arrays.copyOf(path, path.length + 1 + name.length);
                p[path.length] = '/';
                System.arraycopy(name, 0, p, path.length + 1, name.length);
            }
            collect(image, image.inode(d.nid()), p, rows, depth + 1);
        }
    }

    // ---- helpers ----

    /**
     * Unmounts, retrying while something else (an indexer walking /tmp, say) briefly holds the mount busy, and
     * detaching lazily as a last resort so that no mount outlives the test.
     */
    static void unmount(Path mnt) throws IOException, InterruptedException {
        IOException last = null;
        for (int i = 0; i < 10; i++) {
            try {
                run(List.of("umount", mnt.toString()));
                return;
            } catch (IOException e) {
                last = e;
                Thread.sleep(200);
            }
        }
        run(List.of("umount", "-l", mnt.toString()));
        throw last;
    }

    static Path sharedTool(String name) {
        return io.github.erofs4j.core.testing.Fixtures.tool(name);
    }

    private static Path script(String name, Path work) throws IOException {
        Path out = work.resolve(name);
        if (!Files.exists(out)) {
            try (InputStream in = KernelPropertyTest.class.getResourceAsStream(name)) {
                Files.write(out, in.readAllBytes());
            }
        }
        return out;
    }

    /** A command that exited with a status other than 0, with what it wrote to standard error. */
    static final class ToolFailed extends IOException {
        private static final long serialVersionUID = 1L;
        private final transient String stderr;

        ToolFailed(List<String> cmd, int status, String stderr) {
            super(cmd + " exited " + status + ": " + stderr);
            this.stderr = stderr;
        }

        /** What the command wrote to standard error. */
        String stderr() {
            return stderr;
        }
    }

    static List<String> run(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.PIPE).start();
        byte[] out = p.getInputStream().readAllBytes();
        byte[] err = p.getErrorStream().readAllBytes();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("timed out: " + cmd);
        }
        if (p.exitValue() != 0) {
            throw new ToolFailed(cmd, p.exitValue(), new String(err, StandardCharsets.UTF_8));
        }
        String text = new String(out, StandardCharsets.UTF_8);
        return text.isEmpty() ? List.of() : List.of(text.split("\n", -1)).subList(0, text.split("\n", -1).length - 1);
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
