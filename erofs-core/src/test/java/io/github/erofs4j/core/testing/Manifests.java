package io.github.erofs4j.core.testing;

import io.github.erofs4j.core.read.DirEntry;
import io.github.erofs4j.core.read.ErofsImage;
import io.github.erofs4j.core.read.ErofsInode;
import io.github.erofs4j.core.FileType;
import io.github.erofs4j.core.read.Xattr;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;

/**
 * Produces the lines of {@code testdata/tools/manifest.py} from our reader's view of an image, so the two can
 * be compared line by line. Uses only the public reader API (shared with other modules' tests through the
 * erofs-core test-jar).
 */
public final class Manifests {
    private Manifests() {}

    /** One entry of the walk: raw relative path bytes and the inode. */
    private record Entry(byte[] path, ErofsInode inode) {}

    /**
     * A directory loop: a damaged image can name an ancestor as a subdirectory, which only a walker can notice
     * (the library reads one directory at a time).
     */
    public static final class CycleException extends IOException {
        private static final long serialVersionUID = 1L;

        CycleException(String message) {
            super(message);
        }
    }

    /**
     * The manifest of an image.
     *
     * @param payloadOfCompressed if false, regular files whose data is compressed get payload {@code "?"}
     */
    public static List<String> of(ErofsImage image, boolean payloadOfCompressed) throws IOException {
        List<Entry> entries = new ArrayList<>();
        entries.add(new Entry(".".getBytes(StandardCharsets.UTF_8), image.root()));
        walk(image, image.root(), new byte[0], entries, 0);
        entries.sort(Comparator.comparing(Entry::path, Arrays::compareUnsigned));
        List<String> out = new ArrayList<>(entries.size());
        for (Entry e : entries) {
            out.add(line(new String(e.path, StandardCharsets.UTF_8), e.inode, payloadOfCompressed));
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

    /** One manifest line for an inode at a path. */
    public static String line(String path, ErofsInode n, boolean payloadOfCompressed) throws IOException {
        FileType t = n.type();
        String payload = switch (t) {
            case REGULAR -> !payloadOfCompressed && n.compressed() ? "?" : sha256(n);
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

    /** The xattrs column: {@code name=hex} sorted by name, joined by commas, or "-". */
    public static String xattrs(ErofsInode n) throws IOException {
        List<Xattr> xs = new ArrayList<>(n.xattrs());
        if (xs.isEmpty()) {
            return "-";
        }
        xs.sort(Comparator.comparing(Xattr::name, Manifests::codePointCompare));
        StringBuilder sb = new StringBuilder();
        for (Xattr x : xs) {
            if (sb.length() > 0) {
                sb.append(',');
            }
            sb.append(x.name()).append('=').append(HexFormat.of().formatHex(x.value()));
        }
        return sb.toString();
    }

    private static int codePointCompare(String a, String b) {
        return Arrays.compare(a.codePoints().toArray(), b.codePoints().toArray());
    }

    /** SHA-256 of the content, read in 64 KiB pieces through {@link ErofsInode#read(long, byte[], int, int)}. */
    public static String sha256(ErofsInode n) throws IOException {
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
}
