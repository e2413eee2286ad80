package io.github.erofs4j.compress;

import io.github.erofs4j.core.read.DirEntry;
import io.github.erofs4j.core.read.ErofsImage;
import io.github.erofs4j.core.read.ErofsInode;
import io.github.erofs4j.core.read.FileType;
import io.github.erofs4j.core.read.Xattr;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * Fixture lookup and the manifest lines of {@code ../shared/tools/manifest.py}, built from the public reader API
 * (erofs-core's own test helpers are not visible to this module's tests, which compile against its module).
 */
final class TestImages {
    private TestImages() {}

    /** The fixtures directory: the {@code erofs4j.fixtures} property if it exists, else /work/shared/fixtures. */
    static Path fixtures() {
        String prop = System.getProperty("erofs4j.fixtures");
        if (prop != null && Files.isDirectory(Path.of(prop))) {
            return Path.of(prop);
        }
        return Path.of("/work/shared/fixtures");
    }

    /** Extra images of this module (src/test/resources/images, made by make-images.sh there). */
    static final List<String> EXTRA = List.of("dedupe", "lzma-dedupe-frag", "zdirs", "zstd48", "multi-cfg");

    private static Path dirOf(String name) {
        if (name.startsWith("extra:")) {
            try {
                return Path.of(TestImages.class.getResource("/images/tree.py").toURI()).getParent();
            } catch (java.net.URISyntaxException e) {
                throw new IllegalStateException(e);
            }
        }
        return fixtures();
    }

    private static String base(String name) {
        return name.startsWith("extra:") ? name.substring(6) : name;
    }

    /** The image of a fixture, or of an extra image when the name starts with {@code extra:}. */
    static Path image(String name) {
        return dirOf(name).resolve(base(name) + ".erofs");
    }

    static List<String> manifest(String name) throws IOException {
        return Files.readAllLines(dirOf(name).resolve(base(name) + ".manifest"));
    }

    /** The extra images, as names for {@link #image}. */
    static List<String> extra() {
        return EXTRA.stream().map(n -> "extra:" + n).toList();
    }

    /** Every fixture with an image and a manifest, sorted. */
    static List<String> all() throws IOException {
        try (Stream<Path> s = Files.list(fixtures())) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".erofs"))
                    .map(n -> n.substring(0, n.length() - ".erofs".length()))
                    .filter(n -> Files.exists(fixtures().resolve(n + ".manifest"))).sorted().toList();
        }
    }

    /** The fixtures that hold compressed data (their OPTIONS.tsv line has {@code -z}), then the extra images. */
    static List<String> compressed() throws IOException {
        List<String> out = new ArrayList<>();
        out.addAll(extra());
        for (String line : Files.readAllLines(fixtures().resolve("OPTIONS.tsv"))) {
            String[] f = line.split("\t");
            if (f.length >= 3 && f[2].contains("-z")) {
                out.add(f[0]);
            }
        }
        return out;
    }

    private record Entry(byte[] path, ErofsInode inode) {}

    /**
     * A directory loop: a damaged image can name an ancestor as a subdirectory, which only a walker can notice
     * (the library reads one directory at a time).
     */
    static final class CycleException extends IOException {
        private static final long serialVersionUID = 1L;

        CycleException(String message) {
            super(message);
        }
    }

    /** The manifest of an image, in manifest.py's format and order. */
    static List<String> manifestOf(ErofsImage image) throws IOException {
        List<Entry> entries = new ArrayList<>();
        entries.add(new Entry(".".getBytes(StandardCharsets.UTF_8), image.root()));
        walk(image, image.root(), new byte[0], entries, 0);
        entries.sort(Comparator.comparing(Entry::path, Arrays::compareUnsigned));
        List<String> out = new ArrayList<>(entries.size());
        for (Entry e : entries) {
            out.add(line(new String(e.path, StandardCharsets.UTF_8), e.inode));
        }
        return out;
    }

    private static void walk(ErofsImage image, ErofsInode dir, byte[] prefix, List<Entry> out, int depth)
            throws IOException {
        if (depth > 64) {
            throw new CycleException("directory tree deeper than 64: a cycle?");
        }
        for (DirEntry d : dir.children()) {
            byte[] name = d.nameBytes();
            byte[] path;
            if (prefix.length == 0) {
                path = name;
            } else {
                path = Arrays.copyOf(prefix, prefix.length + 1 + name.length);
                path[prefix.length] = '/';
                System.arraycopy(name, 0, path, prefix.length + 1, name.length);
            }
            ErofsInode child = image.inode(d.nid());
            out.add(new Entry(path, child));
            if (child.type() == FileType.DIRECTORY) {
                walk(image, child, path, out, depth + 1);
            }
        }
    }

    static String line(String path, ErofsInode n) throws IOException {
        FileType t = n.type();
        String payload = switch (t) {
            case REGULAR -> sha256(n);
            case SYMLINK -> HexFormat.of().formatHex(n.readSymlink());
            case CHAR_DEVICE, BLOCK_DEVICE -> n.rdevMajor() + ":" + n.rdevMinor();
            default -> "-";
        };
        long size = t == FileType.REGULAR || t == FileType.SYMLINK ? n.size() : 0;
        long nlink = t == FileType.DIRECTORY ? 0 : n.nlink();
        return String.join("\t", path, String.valueOf(t.manifestCode()), Integer.toOctalString(n.permissions()),
                Long.toString(n.uid()), Long.toString(n.gid()), Long.toString(size), Long.toString(n.mtimeSeconds()),
                Integer.toUnsignedString(n.mtimeNanos()), Long.toString(nlink), payload, xattrs(n));
    }

    private static String xattrs(ErofsInode n) throws IOException {
        List<Xattr> xs = new ArrayList<>(n.xattrs());
        if (xs.isEmpty()) {
            return "-";
        }
        xs.sort(Comparator.comparing(x -> x.name().codePoints().toArray(), Arrays::compare));
        StringBuilder sb = new StringBuilder();
        for (Xattr x : xs) {
            if (sb.length() > 0) {
                sb.append(',');
            }
            sb.append(x.name()).append('=').append(HexFormat.of().formatHex(x.value()));
        }
        return sb.toString();
    }

    /** SHA-256 of the content, read in 64 KiB pieces. */
    static String sha256(ErofsInode n) throws IOException {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        byte[] buf = new byte[65536];
        long pos = 0;
        while (pos < n.size()) {
            int r = n.read(pos, buf, 0, buf.length);
            if (r <= 0) {
                throw new IOException("short read at " + pos);
            }
            md.update(buf, 0, r);
            pos += r;
        }
        return HexFormat.of().formatHex(md.digest());
    }

    static void assertLinesEqual(List<String> expected, List<String> actual, String name) {
        for (int i = 0; i < Math.min(expected.size(), actual.size()); i++) {
            org.junit.jupiter.api.Assertions.assertEquals(expected.get(i), actual.get(i), name + " line " + (i + 1));
        }
        org.junit.jupiter.api.Assertions.assertEquals(expected.size(), actual.size(), name + ": number of entries");
    }
}
